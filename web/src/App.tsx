import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import viVN from 'antd/locale/vi_VN';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import { lazy, Suspense, useEffect } from 'react';
import { Route, Routes, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { setEnrolmentRequiredHandler, setUnauthorizedHandler, SIGN_IN_PATH } from './api/client';
import { meKey, REVIEW_CHAIN_ROLES } from './api/queries';
import { useI18n } from './i18n';
import { AppLayout } from './components/AppLayout';
import { PROFILE_PATH, RequireAuth, RequireRole } from './components/RequireAuth';
import { LoginPage } from './pages/LoginPage';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';

// Pages below load on first visit (the sign-in and home pages stay in the main bundle).
const VerifySignaturePage = lazy(() => import('./pages/VerifySignaturePage').then((m) => ({ default: m.VerifySignaturePage })));
const CertificatesPage = lazy(() => import('./pages/CertificatesPage').then((m) => ({ default: m.CertificatesPage })));
const SealImagesPage = lazy(() => import('./pages/SealImagesPage').then((m) => ({ default: m.SealImagesPage })));
const UnitsPage = lazy(() => import('./pages/UnitsPage').then((m) => ({ default: m.UnitsPage })));
const OfficialsPage = lazy(() => import('./pages/OfficialsPage').then((m) => ({ default: m.OfficialsPage })));
const ProfilePage = lazy(() => import('./pages/ProfilePage').then((m) => ({ default: m.ProfilePage })));
const AuditPage = lazy(() => import('./pages/AuditPage').then((m) => ({ default: m.AuditPage })));
const SecurityPage = lazy(() => import('./pages/SecurityPage').then((m) => ({ default: m.SecurityPage })));
const IncomingPage = lazy(() => import('./pages/IncomingPage').then((m) => ({ default: m.IncomingPage })));
const OutgoingPage = lazy(() => import('./pages/OutgoingPage').then((m) => ({ default: m.OutgoingPage })));
const DocumentPage = lazy(() => import('./pages/DocumentPage').then((m) => ({ default: m.DocumentPage })));
const WorkFilesPage = lazy(() => import('./pages/WorkFilesPage').then((m) => ({ default: m.WorkFilesPage })));
const RegistersPage = lazy(() => import('./pages/RegistersPage').then((m) => ({ default: m.RegistersPage })));
const OutboxPage = lazy(() => import('./pages/OutboxPage').then((m) => ({ default: m.OutboxPage })));
const NotificationTemplatesPage = lazy(() => import('./pages/NotificationTemplatesPage').then((m) => ({ default: m.NotificationTemplatesPage })));
const DigestSettingsPage = lazy(() => import('./pages/DigestSettingsPage').then((m) => ({ default: m.DigestSettingsPage })));
const ReviewChainPage = lazy(() => import('./pages/ReviewChainPage').then((m) => ({ default: m.ReviewChainPage })));
const CalendarPage = lazy(() => import('./pages/CalendarPage').then((m) => ({ default: m.CalendarPage })));
const ProceduresPage = lazy(() => import('./pages/ProceduresPage').then((m) => ({ default: m.ProceduresPage })));
const ProcedurePage = lazy(() => import('./pages/ProcedurePage').then((m) => ({ default: m.ProcedurePage })));
const OnestopStatisticsPage = lazy(() => import('./pages/OnestopStatisticsPage').then((m) => ({ default: m.OnestopStatisticsPage })));
const DossiersPage = lazy(() => import('./pages/DossiersPage').then((m) => ({ default: m.DossiersPage })));
const DossierPage = lazy(() => import('./pages/DossierPage').then((m) => ({ default: m.DossierPage })));
const DossierReceptionPage = lazy(() => import('./pages/DossierReceptionPage').then((m) => ({ default: m.DossierReceptionPage })));

/** On any 401 (session expired or signed out elsewhere): forget cached data, go to sign-in. On 403
 * two-factor-enrolment-required: go to the profile page. */
function UnauthorizedRedirect() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (window.location.pathname === SIGN_IN_PATH) return;
      qc.removeQueries();
      const from = window.location.pathname + window.location.search;
      navigate(SIGN_IN_PATH, { replace: true, state: { from } });
    });
    // A role started to require 2FA during the session: refresh "me" and go to the profile page.
    setEnrolmentRequiredHandler(() => {
      void qc.invalidateQueries({ queryKey: meKey });
      navigate(PROFILE_PATH, { replace: true });
    });
  }, [navigate, qc]);
  return null;
}

export function App() {
  const { lang } = useI18n();
  useEffect(() => {
    dayjs.locale(lang === 'vi' ? 'vi' : 'en');
    document.documentElement.lang = lang;
  }, [lang]);
  return (
    <ConfigProvider locale={lang === 'vi' ? viVN : enUS} theme={{ token: { colorPrimary: '#b71c1c' } }}>
      <AntApp>
        <UnauthorizedRedirect />
        <Routes>
          <Route path={SIGN_IN_PATH} element={<LoginPage />} />
          <Route path="kiem-tra-chu-ky" element={<Suspense fallback={null}><VerifySignaturePage /></Suspense>} />
          <Route element={<RequireAuth><AppLayout /></RequireAuth>}>
            <Route index element={<HomePage />} />
            <Route path="ca-nhan" element={<ProfilePage />} />
            <Route path="van-ban-den" element={<IncomingPage />} />
            <Route path="van-ban-di" element={<OutgoingPage />} />
            <Route path="van-ban/:id" element={<DocumentPage />} />
            <Route path="ho-so-cong-viec" element={<WorkFilesPage />} />
            <Route path="so-dang-ky" element={<RequireRole roles={['clerk', 'leader', 'deputy_leader']}><RegistersPage /></RequireRole>} />
            <Route path="quan-tri/don-vi" element={<RequireRole roles={['admin', 'unit_admin']}><UnitsPage /></RequireRole>} />
            <Route path="quan-tri/can-bo" element={<RequireRole roles={['admin', 'unit_admin']}><OfficialsPage /></RequireRole>} />
            <Route path="quan-tri/chung-thu-so" element={<RequireRole roles={['admin', 'unit_admin']}><CertificatesPage /></RequireRole>} />
            <Route path="quan-tri/con-dau" element={<RequireRole roles={['admin', 'unit_admin']}><SealImagesPage /></RequireRole>} />
            <Route path="quan-tri/nhat-ky" element={<RequireRole roles={['admin']}><AuditPage /></RequireRole>} />
            <Route path="quan-tri/bao-mat" element={<RequireRole roles={['admin']}><SecurityPage /></RequireRole>} />
            <Route path="quan-tri/hang-doi-gui" element={<RequireRole roles={['admin']}><OutboxPage /></RequireRole>} />
            <Route path="quan-tri/nhac-han" element={<RequireRole roles={['admin']}><DigestSettingsPage /></RequireRole>} />
            <Route path="quan-tri/mau-thong-bao" element={<RequireRole roles={['admin']}><NotificationTemplatesPage /></RequireRole>} />
            <Route path="quan-tri/quy-trinh-trinh-duyet" element={<RequireRole roles={REVIEW_CHAIN_ROLES}><ReviewChainPage /></RequireRole>} />
            <Route path="quan-tri/lich-lam-viec" element={<RequireRole roles={['admin', 'unit_admin']}><CalendarPage /></RequireRole>} />
            <Route path="quan-tri/thu-tuc" element={<RequireRole roles={['admin', 'unit_admin']}><ProceduresPage /></RequireRole>} />
            <Route path="quan-tri/thu-tuc/:id" element={<RequireRole roles={['admin', 'unit_admin']}><ProcedurePage /></RequireRole>} />
            <Route path="mot-cua/thong-ke" element={<RequireRole roles={['onestop_officer', 'leader', 'deputy_leader']}><OnestopStatisticsPage /></RequireRole>} />
            <Route path="mot-cua/tiep-nhan" element={<RequireRole roles={['onestop_officer']}><DossierReceptionPage /></RequireRole>} />
            <Route path="mot-cua/ho-so" element={<RequireRole roles={['onestop_officer', 'specialist', 'leader', 'deputy_leader']}><DossiersPage /></RequireRole>} />
            <Route path="mot-cua/ho-so/:id" element={<DossierPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </AntApp>
    </ConfigProvider>
  );
}
