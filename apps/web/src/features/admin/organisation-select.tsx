import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { useDebouncedValue } from '../../components/use-debounced-value';
import { findOrganisations, organisationsQueryKey } from './organisations.api';

interface Props {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** Shown while `value` is not among the loaded options (e.g. the user's current organisation). */
  currentLabel?: string | null;
  excludeId?: string;
  'aria-label'?: string;
}

/** Picks an organisation by name, searching the server as one types. Used inside antd Form.Item. */
export function OrganisationSelect({ id, value, onChange, currentLabel, excludeId, 'aria-label': ariaLabel }: Props) {
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const { data, isFetching } = useQuery({
    queryKey: [...organisationsQueryKey, 'options', q],
    queryFn: () => findOrganisations({ page: 1, pageSize: 50, q: q || undefined }),
  });
  const options = (data?.items ?? [])
    .filter((organisation) => organisation.id !== excludeId)
    .map((organisation) => ({ value: organisation.id, label: organisation.name }));
  if (value && currentLabel && !options.some((option) => option.value === value)) {
    options.unshift({ value, label: currentLabel });
  }
  return (
    <Select
      id={id}
      aria-label={ariaLabel}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      options={options}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={isFetching}
      allowClear
      style={{ width: '100%' }}
    />
  );
}
