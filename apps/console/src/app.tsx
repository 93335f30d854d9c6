import { QueryClientProvider } from '@tanstack/react-query';
import { Route, Routes } from 'react-router';

import { Layout } from './components/Layout';
import { RequireOperator } from './components/RequireOperator';
import type { AppDeps } from './deps';
import { DepsContext } from './deps';
import { AuditPage } from './pages/AuditPage';
import { DeadLettersPage } from './pages/DeadLettersPage';
import { LedgerPage } from './pages/LedgerPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OverviewPage } from './pages/OverviewPage';
import { PaymentsPage } from './pages/PaymentsPage';
import { PaymentStoryPage } from './pages/PaymentStoryPage';
import { RunbookPage } from './pages/RunbookPage';
import { UserPage } from './pages/UserPage';
import { UsersPage } from './pages/UsersPage';
import { SessionProvider } from './session';

/** The whole console without its router, so main.tsx can give it the browser's history and tests a memory one. */
export function App({ deps }: { deps: AppDeps }) {
  return (
    <QueryClientProvider client={deps.queryClient}>
      <DepsContext value={deps}>
        <SessionProvider deps={deps}>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route
              element={
                <RequireOperator>
                  <Layout />
                </RequireOperator>
              }
            >
              <Route index element={<OverviewPage />} />
              <Route path="payments" element={<PaymentsPage />} />
              <Route path="payments/:id" element={<PaymentStoryPage />} />
              <Route path="dead-letters" element={<DeadLettersPage />} />
              <Route path="users" element={<UsersPage />} />
              <Route path="users/:id" element={<UserPage />} />
              <Route path="ledger" element={<LedgerPage />} />
              <Route path="audit" element={<AuditPage />} />
              <Route path="runbook" element={<RunbookPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </SessionProvider>
      </DepsContext>
    </QueryClientProvider>
  );
}
