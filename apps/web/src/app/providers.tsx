import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUSAntd from 'antd/es/locale/en_US';
import zhCNAntd from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, useState, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { isApiError, setUnauthenticatedHandler } from './api-client';
import { i18n } from './i18n';
import { clearSession } from './session';

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // 4xx answers will not change on retry.
        retry: (failureCount, error) => failureCount < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
      },
    },
  });
}

function LocalizedConfig({ children }: { children: ReactNode }) {
  const { i18n: instance } = useTranslation();
  const isEnglish = instance.language === 'en-US';
  useEffect(() => {
    dayjs.locale(isEnglish ? 'en' : 'zh-cn');
  }, [isEnglish]);
  return (
    <ConfigProvider
      locale={isEnglish ? enUSAntd : zhCNAntd}
      theme={{ token: { colorPrimary: '#1d5fbf', borderRadius: 6 } }}
      // Keep button names as written ("登录", not "登 录") for people and for accessible-name queries.
      button={{ autoInsertSpace: false }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  useEffect(() => {
    // Any 401 UNAUTHENTICATED drops the session; RequireSession then sends the person to /login.
    setUnauthenticatedHandler(() => clearSession(queryClient, 'expired'));
  }, [queryClient]);
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <LocalizedConfig>{children}</LocalizedConfig>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
