import type { TablePaginationConfig } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';

export interface Page<T> {
  items: T[];
  total: number;
}

/** Page number and size for a server-paginated table, reset to page 1 whenever the filters change. */
export function usePaging(initialPageSize = 20) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialPageSize);
  const tablePagination = (total: number | undefined, t: TFunction, isPhone: boolean): TablePaginationConfig => ({
    current: page,
    pageSize,
    total: total ?? 0,
    showSizeChanger: !isPhone,
    simple: isPhone,
    showTotal: isPhone ? undefined : (count) => t('common.total', { total: String(count) }),
    onChange: (nextPage, nextPageSize) => {
      setPage(nextPageSize !== pageSize ? 1 : nextPage);
      setPageSize(nextPageSize);
    },
  });
  return { page, pageSize, resetPage: () => setPage(1), tablePagination };
}
