import { useCallback, useState } from 'react';
import { Link, useParams } from 'wouter';
import { api } from '../../api/client';
import { useApi } from '../../api/use-api';
import { DataState } from '../../components/data-state';
import { dateTime } from '../../components/format';
import { Page } from '../../components/page';
import { ConsentSection } from './consent-section';
import { type ContactRef, isChannel } from './contact-ref';
import { EraseSection, ErasedSummary, type Erasure } from './erase-section';
import { ProfileSection } from './profile-section';
import { SendsSection } from './sends-section';
import { ThreadSection } from './thread-section';
import { useServerClock } from './use-server-clock';
import { WindowSection } from './window-section';

/** After an erasure: the person asked for again, so the page says they are gone because the API does. */
const Gone = ({ of, erasure }: { of: ContactRef; erasure: Erasure }) => {
  const again = useApi(() => api.GET('/admin/contacts/{channel}/{accountId}/{userId}', { params: { path: of } }), [of.channel, of.accountId, of.userId]);
  const gone =
    again.state === 'loading'
      ? 'Asking the admin API for them again…'
      : again.state === 'error' && again.error.startsWith('404')
        ? `Asked for again, the admin API answers: ${again.error}.`
        : again.state === 'error'
          ? `Could not ask for them again: ${again.error}.`
          : 'The admin API still knows a contact under this id: a message from them after the erasure starts afresh.';
  return (
    <>
      <ErasedSummary erasure={erasure} gone={gone} />
      <p>
        <Link href="/contacts">Back to the contacts</Link>
      </p>
    </>
  );
};

const ContactView = ({ of }: { of: ContactRef }) => {
  const [version, setVersion] = useState(0);
  const [erasure, setErasure] = useState<Erasure | undefined>();
  const clock = useServerClock();
  const contact = useApi(() => api.GET('/admin/contacts/{channel}/{accountId}/{userId}', { params: { path: of } }), [of.channel, of.accountId, of.userId, version]);
  const changed = useCallback(() => setVersion((n) => n + 1), []);
  if (erasure) return <Gone of={of} erasure={erasure} />;
  return (
    <DataState loaded={contact} what="the contact">
      {(c) => (
        <div className="contact">
          <p className="muted">
            {c.channel} account {c.accountId}
            {c.linkedFrom ? ` · asked for as ${c.linkedFrom}` : ''}
            {c.identities?.waId ? ` · wa_id ${c.identities.waId}` : ''}
            {c.identities?.bsuid ? ` · BSUID ${c.identities.bsuid}` : ''} · last event {dateTime(c.updatedAt)}
          </p>
          <div className="contact-columns">
            <WindowSection contact={c} clock={clock} onEnded={changed} />
            <ThreadSection contact={c} of={of} onChanged={changed} />
          </div>
          <ConsentSection contact={c} />
          <ProfileSection of={of} />
          <SendsSection of={of} version={version} />
          <EraseSection of={of} onErased={setErasure} />
        </div>
      )}
    </DataState>
  );
};

/** `/contacts/:channel/:accountId/:userId`: everything afterchat knows of one person, and what an operator can do about it. */
export const ContactPage = () => {
  const params = useParams<{ channel: string; accountId: string; userId: string }>();
  const channel = params.channel ?? '';
  return (
    <Page title={`Contact ${params.userId ?? ''}`} actions={<Link href="/contacts">Search contacts</Link>}>
      {isChannel(channel) && params.accountId && params.userId ? (
        <ContactView of={{ channel, accountId: params.accountId, userId: params.userId }} />
      ) : (
        <p className="error" role="alert">
          No such channel: {channel} (whatsapp, messenger or instagram).
        </p>
      )}
    </Page>
  );
};
