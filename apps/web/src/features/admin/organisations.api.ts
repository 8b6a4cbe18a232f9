import type { CreateOrganisationInput, Organisation, OrganisationKind, UpdateOrganisationInput } from '@qinqing/contracts';
import { api } from '../../app/api-client';
import type { Page } from '../../components/pagination';

export const organisationsQueryKey = ['organisations'] as const;

export interface OrganisationFilter {
  page: number;
  pageSize: number;
  q?: string;
  kind?: OrganisationKind;
}

export function findOrganisations(filter: OrganisationFilter): Promise<Page<Organisation>> {
  return api<Page<Organisation>>('/api/organisations', { query: { ...filter } });
}

export function createOrganisation(input: CreateOrganisationInput): Promise<Organisation> {
  return api<Organisation>('/api/organisations', { method: 'POST', body: input });
}

export function updateOrganisation(id: string, input: UpdateOrganisationInput): Promise<Organisation> {
  return api<Organisation>(`/api/organisations/${encodeURIComponent(id)}`, { method: 'PATCH', body: input });
}
