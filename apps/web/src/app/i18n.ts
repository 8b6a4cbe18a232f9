import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { enUS } from './locales/en-US';
import { zhCN } from './locales/zh-CN';

export const languages = ['zh-CN', 'en-US'] as const;
export type Language = (typeof languages)[number];

const storageKey = 'qinqing.language';

function readStoredLanguage(): Language {
  try {
    const stored = localStorage.getItem(storageKey);
    if (stored && (languages as readonly string[]).includes(stored)) return stored as Language;
  } catch {
    // Storage can be unavailable (private mode, policy); Chinese is the default.
  }
  return 'zh-CN';
}

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
    // Permission keys such as 'users:read' contain a colon, so namespaces are not split on it.
    nsSeparator: false;
  }
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
  lng: readStoredLanguage(),
  fallbackLng: 'zh-CN',
  supportedLngs: languages,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
});

document.documentElement.lang = i18n.language;
document.title = i18n.t('common.appTitle');

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
  document.title = i18n.t('common.appTitle');
});

export function currentLanguage(): Language {
  return i18n.language === 'en-US' ? 'en-US' : 'zh-CN';
}

/** Switches the UI language and remembers it for the next visit. */
export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(storageKey, language);
  } catch {
    // Not remembered; the switch still applies to this visit.
  }
  void i18n.changeLanguage(language);
}

export { i18n };
