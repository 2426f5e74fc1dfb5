import type { viNotifications } from './vi-notifications';

export const enNotifications: Record<keyof typeof viNotifications, string> = {
  'nav.notificationTemplates': 'Notification templates',
  'notif.title': 'Notifications to citizens',
  'notif.help': 'The e-mail and SMS texts sent to applicants when their dossier changes status. Use the variables in braces; unknown variables are refused when saving.',
  'notif.event': 'Event',
  'notif.channel': 'Channel',
  'notif.email': 'E-mail',
  'notif.sms': 'SMS',
  'notif.subject': 'Subject',
  'notif.body': 'Text',
  'notif.custom': 'Edited',
  'notif.default': 'Default',
  'notif.edit': 'Edit',
  'notif.reset': 'Reset to default',
  'notif.preview': 'Preview',
  'notif.variables': 'Variables',
  'notif.previewTitle': 'Preview with sample data',
  'notif.smsLength': '{n}/{max} characters',
};
