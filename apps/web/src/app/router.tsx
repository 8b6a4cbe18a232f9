import type { Permission } from '@qinqing/contracts';
import type { ComponentType } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { NotFound } from '../components/forbidden';
import { FullPageSpin } from '../components/full-page-spin';
import { RequirePendingStep, RequirePermission, RequireSession } from './guards';
import { navItem, type NavItem } from './navigation';
import { RouteError } from './route-error';

/** A page loaded on first visit (its own chunk) and guarded by the permissions of its menu entry. */
function page(key: NavItem['key'], load: () => Promise<ComponentType>, anyOfOverride?: Permission[]): RouteObject['lazy'] {
  const anyOf = anyOfOverride ?? navItem(key).anyOf;
  return async () => {
    const Page = await load();
    return {
      Component: () => (
        <RequirePermission anyOf={anyOf}>
          <Page />
        </RequirePermission>
      ),
    };
  };
}

const routes: RouteObject[] = [
  {
    errorElement: <RouteError />,
    // Shown while the first route's chunk loads.
    HydrateFallback: FullPageSpin,
    children: [
      {
        path: '/login',
        lazy: async () => ({ Component: (await import('../features/auth/login-page')).LoginPage }),
      },
      {
        element: <RequirePendingStep />,
        children: [
          {
            path: '/setup/password',
            lazy: async () => ({ Component: (await import('../features/auth/setup-password-page')).SetupPasswordPage }),
          },
          {
            path: '/setup/totp',
            lazy: async () => ({ Component: (await import('../features/auth/setup-totp-page')).SetupTotpPage }),
          },
        ],
      },
      {
        element: <RequireSession />,
        children: [
          {
            lazy: async () => ({ Component: (await import('./app-layout')).AppLayout }),
            children: [
              { index: true, lazy: page('home', async () => (await import('../features/home/home-page')).HomePage) },
              {
                path: 'enterprises',
                lazy: page('enterprises', async () => (await import('../features/enterprises/enterprises-page')).EnterprisesPage),
              },
              {
                path: 'enterprises/import',
                lazy: page('enterprises', async () => (await import('../features/enterprises/import-page')).ImportPage, ['enterprises:import']),
              },
              {
                path: 'enterprises/:id',
                lazy: page('enterprises', async () => (await import('../features/enterprises/enterprise-page')).EnterprisePage),
              },
              {
                path: 'my-enterprise',
                lazy: page('myEnterprise', async () => (await import('../features/enterprises/my-enterprise-page')).MyEnterprisePage),
              },
              {
                path: 'enterprise-bindings',
                lazy: page('bindingRequests', async () => (await import('../features/enterprises/binding-requests-page')).BindingRequestsPage),
              },
              {
                path: 'organisations',
                lazy: page('organisations', async () => (await import('../features/admin/organisations-page')).OrganisationsPage),
              },
              { path: 'users', lazy: page('users', async () => (await import('../features/admin/users-page')).UsersPage) },
              { path: 'roles', lazy: page('roles', async () => (await import('../features/admin/roles-page')).RolesPage) },
              {
                path: 'security-policy',
                lazy: page('securityPolicy', async () => (await import('../features/admin/security-policy-page')).SecurityPolicyPage),
              },
              { path: 'audit', lazy: page('audit', async () => (await import('../features/audit/audit-page')).AuditPage) },
              { path: 'appeals', lazy: page('appeals', async () => (await import('../features/appeals/appeals-page')).AppealsPage) },
              { path: 'appeals/new', lazy: page('appealNew', async () => (await import('../features/appeals/appeal-form-page')).AppealFormPage) },
              { path: 'appeals/kpis', lazy: page('appealKpis', async () => (await import('../features/appeals/kpi-page')).KpiPage) },
              {
                path: 'appeals/categories',
                lazy: page('appealCategories', async () => (await import('../features/appeals/appeal-categories-page')).AppealCategoriesPage),
              },
              { path: 'appeals/:id', lazy: page('appeals', async () => (await import('../features/appeals/appeal-page')).AppealPage) },
              { path: 'visits', lazy: page('visits', async () => (await import('../features/visits/visits-page')).VisitsPage) },
              { path: 'visits/:id', lazy: page('visits', async () => (await import('../features/visits/visit-page')).VisitPage) },
              {
                path: 'liaison-points',
                lazy: page('liaisonPoints', async () => (await import('../features/visits/liaison-points-page')).LiaisonPointsPage),
              },
              {
                path: 'liaison-points/:id',
                lazy: page('liaisonPoints', async () => (await import('../features/visits/liaison-point-page')).LiaisonPointPage),
              },
              {
                path: 'symposiums/:id',
                lazy: page('liaisonPoints', async () => (await import('../features/visits/symposium-page')).SymposiumPage),
              },
              { path: 'calendar', lazy: page('calendar', async () => (await import('../features/calendar/calendar-page')).CalendarPage) },
              {
                path: 'calendar/deadline',
                lazy: page('deadline', async () => (await import('../features/calendar/deadline-page')).DeadlinePage),
              },
              { path: 'account', lazy: page('account', async () => (await import('../features/account/account-page')).AccountPage) },
              { path: '*', Component: NotFound },
            ],
          },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);
