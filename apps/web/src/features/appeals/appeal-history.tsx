import { type AppealAction, type AppealEvent, appealActions } from '@qinqing/contracts';
import { Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { eventColor, eventLines, type EventLine } from './appeal-model';
import { useAppealCategories } from './use-appeal-lookups';

const knownActions: readonly string[] = appealActions;

/** A step's name in the UI language (提交诉求, 交办, 签收 …); an unknown step keeps its code. */
export function useEventName() {
  const { t } = useTranslation();
  return (action: string) => {
    // Not a step of the loop, but on the enterprise file's timeline beside them (`appeal.attachment`).
    if (action === 'attachment') return t('appeals.attachments.timelineStep');
    return knownActions.includes(action) ? t(`appeals.events.${action as AppealAction}`) : action;
  };
}

/** The details of one step (reason, deadline, answer, rating …) as short lines. */
export function AppealEventLines({ action, data }: { action: string; data: Record<string, unknown> | null }) {
  const { t } = useTranslation();
  const categories = useAppealCategories();
  const lines = eventLines({ action: action as AppealAction, data });
  if (lines.length === 0) return null;
  const text = (line: EventLine) => {
    const values = line.values ?? {};
    switch (line.key) {
      case 'category':
        return t('appeals.history.category', { name: categories.name(values.code ?? '') });
      case 'origin':
        return t('appeals.history.origin', { name: t(`appeals.origins.${values.kind as 'web'}`, { defaultValue: values.kind }) });
      case 'rating':
        return t('appeals.history.rating', { name: t(`appeals.ratings.${values.rating as 'satisfied'}`, { defaultValue: values.rating }) });
      default:
        // One of the appeals.history texts; each line carries the values its text names (tested in appeal-model).
        return t(`appeals.history.${line.key}` as 'appeals.history.note', values as { text: string });
    }
  };
  return (
    <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
      {lines.map((line, index) => (
        <li key={index} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {text(line)}
        </li>
      ))}
    </ul>
  );
}

/** The appeal's history: who did what and when, oldest first, with reasons, answers and ratings. */
export function AppealHistory({ events }: { events: AppealEvent[] }) {
  const { t } = useTranslation();
  const eventName = useEventName();
  return (
    <Timeline
      items={events.map((event) => ({
        key: event.id,
        color: eventColor(event),
        content: (
          <div>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'baseline' }}>
              <Typography.Text strong>{eventName(event.action)}</Typography.Text>
              {event.organisationName && <Tag style={{ marginInlineEnd: 0 }}>{event.organisationName}</Tag>}
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {event.actorName ?? t('appeals.detail.systemActor')} · <time dateTime={event.at}>{formatDateTime(event.at)}</time>
            </Typography.Text>
            <AppealEventLines action={event.action} data={event.data} />
          </div>
        ),
      }))}
    />
  );
}
