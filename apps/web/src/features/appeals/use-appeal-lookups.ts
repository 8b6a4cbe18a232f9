import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session';
import { appealCategoriesKey, appealUnitsKey, findAppealCategories, findDispatchUnits, findHandlingOrganisations } from './appeals.api';

/** Appeal categories with their time limits; `name(code)` in the UI language. */
export function useAppealCategories() {
  const { i18n } = useTranslation();
  const query = useQuery({ queryKey: appealCategoriesKey, queryFn: findAppealCategories, staleTime: 5 * 60_000 });
  const categories = query.data ?? [];
  const name = (code: string) => {
    const category = categories.find((candidate) => candidate.code === code);
    if (!category) return code;
    return i18n.language === 'en-US' ? category.nameEn : category.name;
  };
  return { ...query, categories, name };
}

/**
 * Handling units by name: the dispatch list for those who dispatch, the organisations for those who read them
 * (leaders, supervisors). Others (a unit's own people, enterprises) get none and see no unit filter.
 */
export function useHandlingUnits() {
  const can = useCan();
  const source = can('appeals:manage') ? 'dispatch' : can('organisations:read') ? 'organisations' : null;
  const query = useQuery({
    queryKey: [...appealUnitsKey, source],
    queryFn: () => (source === 'dispatch' ? findDispatchUnits() : findHandlingOrganisations()),
    enabled: source !== null,
    staleTime: 5 * 60_000,
  });
  return { ...query, available: source !== null, units: query.data ?? [] };
}
