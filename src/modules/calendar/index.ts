// The calendar module's public face: HTTP for the working calendar. The calendar itself (loadCalendar,
// addDuration, holidays, lunar dates) is core: import it from core/calendar.
export { calendarRoutes } from './routes.js';
export { listAdjustments, getOfficeHours, type Adjustment, type UnitOfficeHours } from './service.js';
