import type { ColumnDef } from '@tanstack/react-table';
import { DataTable } from '../../components/data-table';
import { dateTime } from '../../components/format';
import type { Contact } from './contact-ref';

type Consent = Contact['consents'][number];
type OptIn = Contact['optIns'][number];

const SOURCES: Record<Consent['source'], string> = { whatsapp_keyword: 'WhatsApp keyword', whatsapp_button: 'WhatsApp button', import: 'CSV import' };

const consentColumns: ColumnDef<Consent, unknown>[] = [
  { header: 'Topic', accessorKey: 'topic' },
  { header: 'Basis', accessorKey: 'basis' },
  { header: 'Source', id: 'source', accessorFn: (c) => `${SOURCES[c.source]}${c.sourceDetail ? ` (${c.sourceDetail})` : ''}` },
  { header: 'Captured', id: 'capturedAt', accessorFn: (c) => c.capturedAt ?? '', cell: ({ row }) => dateTime(row.original.capturedAt) },
  { header: 'Text shown', accessorKey: 'textShown' },
  { header: 'Answer', id: 'answer', accessorFn: (c) => c.answer ?? '–' },
];

const optInColumns: ColumnDef<OptIn, unknown>[] = [
  { header: 'Topic', id: 'topic', accessorFn: (o) => o.topic ?? o.title ?? '–' },
  { header: 'Status', id: 'status', accessorFn: (o) => o.status ?? o.userTokenStatus ?? '–' },
  { header: 'Frequency', id: 'frequency', accessorFn: (o) => o.frequency ?? '–' },
  { header: 'Opted in', id: 'optedInAt', accessorFn: (o) => o.optedInAt ?? '', cell: ({ row }) => dateTime(row.original.optedInAt) },
  { header: 'Source', id: 'source', accessorFn: (o) => o.source ?? '–' },
  { header: 'Token expires', id: 'tokenExpiresAt', accessorFn: (o) => o.tokenExpiresAt ?? '', cell: ({ row }) => dateTime(row.original.tokenExpiresAt) },
];

/** Why the person gets no marketing: the STOP keyword they wrote, or Meta’s stop. */
const optOutSource = (c: Contact): string => {
  if (c.keywordOptOut) return `they wrote ${c.keywordOptOut.keyword ? `“${c.keywordOptOut.keyword}”` : 'a stop keyword'} ${dateTime(c.keywordOptOut.at)}`;
  return `Meta’s stop (the person’s marketing preference on WhatsApp) ${dateTime(c.marketingPreferenceAt)}`;
};

const until = (value: string | null): string => (value === 'indefinitely' ? 'for good' : `until ${dateTime(value)}`);

/** Marketing: opted out and why, pauses, consents with their provenance, and Messenger/Instagram opt-ins. */
export const ConsentSection = ({ contact }: { contact: Contact }) => (
  <section aria-labelledby="consent-title">
    <h2 id="consent-title">Marketing consent</h2>
    <dl className="facts">
      <dt>Marketing</dt>
      <dd>{contact.marketingOptOut ? <strong className="error">Opted out: {optOutSource(contact)}</strong> : 'Not opted out'}</dd>
      {contact.marketingPausedUntil ? (
        <>
          <dt>Marketing paused</dt>
          <dd>{until(contact.marketingPausedUntil)}</dd>
        </>
      ) : null}
      {contact.unreachableUntil ? (
        <>
          <dt>Unreachable</dt>
          <dd>{until(contact.unreachableUntil)}</dd>
        </>
      ) : null}
    </dl>
    <h3>Consents</h3>
    <DataTable rows={contact.consents} columns={consentColumns} label="Consents" empty="No consent recorded: captured on WhatsApp or imported with a CSV, it shows here with its provenance." />
    {contact.channel === 'whatsapp' ? null : (
      <>
        <h3>Opt-ins</h3>
        <DataTable rows={contact.optIns} columns={optInColumns} label="Opt-ins" empty="No opt-in token: the person has not accepted an opt-in request." />
      </>
    )}
  </section>
);
