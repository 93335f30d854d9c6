import { QueryClientProvider } from '@tanstack/react-query';
import { Route, Routes } from 'react-router';

import { Layout } from './components/Layout';
import { RequireAuth } from './components/RequireAuth';
import { LiveUpdates } from './live/live';
import type { AppDeps } from './deps';
import { SettingsContext } from './deps';
import { DashboardPage } from './pages/DashboardPage';
import { DevelopersPage } from './pages/DevelopersPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { TransactionDetailPage } from './pages/TransactionDetailPage';
import { TransactionListPage } from './pages/TransactionListPage';
import { TransactionResolvePage } from './pages/TransactionResolvePage';
import { SessionProvider } from './session/session';

/**
 * The whole app without its router, so main.tsx can give it the browser's history and tests a memory one.
 * Keys on the per-type routes make React start each page afresh when only the type changes.
 */
export function App({ deps }: { deps: AppDeps }) {
  return (
    <QueryClientProvider client={deps.queryClient}>
      <SettingsContext value={deps.settings}>
        <SessionProvider deps={deps}>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route
              element={
                <RequireAuth>
                  <LiveUpdates deps={deps}>
                    <Layout />
                  </LiveUpdates>
                </RequireAuth>
              }
            >
              <Route index element={<DashboardPage />} />
              <Route path="deposits" element={<TransactionListPage key="deposit" type="deposit" />} />
              <Route path="withdrawals" element={<TransactionListPage key="withdrawal" type="withdrawal" />} />
              <Route path="deposits/:id" element={<TransactionDetailPage key="deposit" type="deposit" />} />
              <Route path="withdrawals/:id" element={<TransactionDetailPage key="withdrawal" type="withdrawal" />} />
              <Route path="transactions/:id" element={<TransactionResolvePage />} />
              <Route path="developers" element={<DevelopersPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </SessionProvider>
      </SettingsContext>
    </QueryClientProvider>
  );
}
