import { useQuery } from '@tanstack/react-query';
import { Select, Spin } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDebouncedValue } from '../../components/use-debounced-value';
import { searchEnterprises, type EnterpriseOption } from './visits.api';

interface SingleProps {
  mode?: undefined;
  value?: string;
  onChange?: (value: string | undefined) => void;
}
interface MultipleProps {
  mode: 'multiple';
  value?: string[];
  onChange?: (value: string[]) => void;
}

/**
 * Pick enterprises by name or credit code from the registry (GET /api/enterprises?q=, within the caller's scope).
 * `known` names the enterprises already chosen, so they show by name before any search.
 */
export function EnterprisePicker(props: (SingleProps | MultipleProps) & { known?: EnterpriseOption[]; onPick?: (picked: EnterpriseOption[]) => void; id?: string; placeholder?: string; 'aria-label'?: string; disabled?: boolean }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim(), 300);
  const results = useQuery({ queryKey: ['enterprises', 'picker', q], queryFn: () => searchEnterprises(q), staleTime: 60_000 });
  const [picked, setPicked] = useState<EnterpriseOption[]>([]);
  const entries = useMemo(() => {
    const all = new Map<string, EnterpriseOption>();
    for (const entry of [...(props.known ?? []), ...picked, ...(results.data ?? [])]) all.set(entry.id, entry);
    return all;
  }, [props.known, picked, results.data]);
  const options = [...entries.values()].map((entry) => ({ value: entry.id, label: entry.name, title: `${entry.name} ${entry.creditCode}` }));
  const remember = (ids: string[]) => setPicked((current) => [...current, ...(results.data ?? []).filter((entry) => ids.includes(entry.id))]);

  return (
    <Select
      id={props.id}
      mode={props.mode}
      showSearch={{ filterOption: false, onSearch: setText }}
      value={props.value as never}
      onChange={(value: string | string[] | undefined) => {
        const ids = Array.isArray(value) ? value : value ? [value] : [];
        remember(ids);
        props.onPick?.(ids.map((id) => entries.get(id)).filter((entry): entry is EnterpriseOption => Boolean(entry)));
        (props.onChange as ((next: typeof value) => void) | undefined)?.(value);
        setText('');
      }}
      options={options}
      notFoundContent={results.isFetching ? <Spin size="small" /> : t('visits.noEnterpriseFound')}
      placeholder={props.placeholder ?? t('visits.enterprisePlaceholder')}
      aria-label={props['aria-label']}
      allowClear
      disabled={props.disabled}
      style={{ width: '100%' }}
      optionRender={(option) => (
        <span style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
          {option.label}
          <span style={{ display: 'block', fontSize: 12, color: '#8c8c8c', fontFamily: 'monospace' }}>{(option.data.title as string).split(' ').at(-1)}</span>
        </span>
      )}
    />
  );
}
