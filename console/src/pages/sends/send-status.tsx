import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { DataState } from '../../components/data-state';
import { dateTime } from '../../components/format';
import { pricingWords, refusalSentence, routeWords } from './policy-words';

/** Statuses after which nothing changes any more: polling stops there. */
const FINAL = ['read', 'failed', 'skipped', 'unknown'];

const STATUS_WORDS: Readonly<Record<string, string>> = {
  queued: 'Queued',
  claimed: 'Sending',
  sent: 'Sent to Meta',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Failed',
  skipped: 'Not sent',
  unknown: 'Unknown (Meta did not answer whether it was sent)',
};

/** A send after the button: its status, polled until Meta's last word, and why when it didn't go. */
export const SendStatus = ({ outboxId }: { outboxId: string }) => {
  const [final, setFinal] = useState(false);
  const send = useApi(() => api.GET('/admin/sends/{outboxId}', { params: { path: { outboxId } } }), [outboxId], { every: final ? undefined : 1000 });
  const status = send.state === 'ready' ? send.data.status : undefined;
  useEffect(() => setFinal(status !== undefined && FINAL.includes(status)), [status]);
  return (
    <DataState loaded={send} what="the send">
      {(s) => (
        <dl className="facts" aria-label="Send status">
          <dt>Status</dt>
          <dd>
            <strong>{STATUS_WORDS[s.status] ?? s.status}</strong>
          </dd>
          {s.route ? (
            <>
              <dt>Route</dt>
              <dd>{routeWords(s.route)}</dd>
            </>
          ) : null}
          {s.pricing ? (
            <>
              <dt>Price</dt>
              <dd>{pricingWords(s.pricing)}</dd>
            </>
          ) : null}
          {s.status === 'skipped' && s.reason ? (
            <>
              <dt>Why</dt>
              <dd>{refusalSentence({ reason: s.reason, detail: s.detail ?? s.reason, earliestAt: s.earliestAt ?? undefined })}</dd>
            </>
          ) : null}
          {s.status === 'failed' ? (
            <>
              <dt>Why</dt>
              <dd>
                {s.detail ?? s.reason ?? 'Meta refused it'}
                {s.errorCode ? ` (error ${s.errorCode})` : ''}
              </dd>
            </>
          ) : null}
          <dt>Sent at</dt>
          <dd>{dateTime(s.sentAt)}</dd>
          <dt>Send id</dt>
          <dd>
            <code>{s.outboxId}</code>
          </dd>
        </dl>
      )}
    </DataState>
  );
};
