import { useEffect } from 'react';
import { dateTime, duration } from '../../components/format';
import type { Contact } from './contact-ref';
import { type ServerClock, useTicking } from './use-server-clock';

/** What the person did that opened the window (the API's `openedBy`). */
const OPENERS: Record<string, string> = {
  message: 'a message from the person',
  postback: 'a button tap (postback)',
  reaction: 'a reaction',
  referral: 'a referral link (m.me / ig.me)',
  ad_referral: 'a click on an ad',
  plugin_optin: 'a website plugin opt-in',
};

/**
 * The 24 h window: open or closed, a countdown to its close on the API's clock (it ticks every
 * second and asks for the contact again once it ends), what opened it, and the HUMAN_AGENT deadline.
 */
export const WindowSection = ({ contact, clock, onEnded }: { contact: Contact; clock: ServerClock; onEnded: () => void }) => {
  const win = contact.window;
  const now = useTicking() + (clock.state === 'ready' ? clock.offset : 0);
  const closesAt = win.closesAt ? Date.parse(win.closesAt) : undefined;
  const open = clock.state === 'ready' && closesAt !== undefined ? now < closesAt : win.open;
  const endedHere = win.open && !open;
  useEffect(() => {
    if (endedHere) onEnded();
  }, [endedHere, onEnded]);
  const agentUntil = win.humanAgentUntil ? Date.parse(win.humanAgentUntil) : undefined;
  return (
    <section aria-labelledby="window-title">
      <h2 id="window-title">Conversation window</h2>
      <p className={`banner ${open ? 'ok' : 'warning'}`}>
        <strong>{open ? 'Open' : 'Closed'}</strong>
        {clock.state === 'syncing' ? null : open && closesAt !== undefined ? (
          <>
            {' · '}
            <span role="timer">closes in {duration(closesAt - now)}</span>
          </>
        ) : closesAt !== undefined ? (
          ` · closed ${dateTime(win.closesAt)}: only templates (WhatsApp) or message tags reach the person`
        ) : (
          ' · the person has not written yet'
        )}
      </p>
      {clock.state === 'ready' && clock.source === 'browser' ? <p className="muted">Counted on this browser’s clock: the admin API’s could not be read.</p> : null}
      <dl className="facts">
        <dt>{open ? 'Closes at' : 'Closed at'}</dt>
        <dd>{dateTime(win.closesAt)}</dd>
        <dt>Opened by</dt>
        <dd>{win.openedBy ? `${OPENERS[win.openedBy] ?? win.openedBy}, ${dateTime(win.lastInboundAt)}` : win.lastInboundAt ? dateTime(win.lastInboundAt) : '–'}</dd>
        <dt>Human agent replies</dt>
        <dd>
          {contact.channel === 'whatsapp'
            ? 'Not on WhatsApp: the 24 h window only'
            : agentUntil === undefined
              ? '–'
              : agentUntil > now
                ? `HUMAN_AGENT until ${dateTime(win.humanAgentUntil)} (${duration(agentUntil - now)} left)`
                : `HUMAN_AGENT ended ${dateTime(win.humanAgentUntil)}`}
        </dd>
        {contact.lastOutboundAt ? (
          <>
            <dt>Last message to them</dt>
            <dd>{dateTime(contact.lastOutboundAt)}</dd>
          </>
        ) : null}
        {contact.deliveredUpTo || contact.readUpTo ? (
          <>
            <dt>Delivered / read up to</dt>
            <dd>
              {dateTime(contact.deliveredUpTo)} / {dateTime(contact.readUpTo)}
            </dd>
          </>
        ) : null}
        {contact.adReferral ? (
          <>
            <dt>Came from an ad</dt>
            <dd>
              {contact.adReferral.adId ?? contact.adReferral.source ?? 'an ad'}, {dateTime(contact.adReferral.at)}
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
};
