import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { findIndustries, findRegions, referenceKey, type ReferenceEntry } from './enterprises.api';
import { buildCascaderOptions, pathTo } from './reference-tree';

/** The shipped reference tables change only with a release: fetch once per session. */
function useReference(kind: 'industries' | 'regions') {
  const query = useQuery({
    queryKey: referenceKey(kind),
    queryFn: kind === 'industries' ? findIndustries : findRegions,
    staleTime: Infinity,
    gcTime: Infinity,
  });
  const entries: ReferenceEntry[] = query.data ?? [];
  const options = useMemo(() => buildCascaderOptions(query.data ?? []), [query.data]);
  const path = useMemo(() => (code: string | null | undefined) => pathTo(query.data ?? [], code), [query.data]);
  return { entries, options, path, isPending: query.isPending };
}

export const useIndustries = () => useReference('industries');
export const useRegions = () => useReference('regions');
