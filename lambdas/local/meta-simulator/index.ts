export type { FaultOptions, SimulatorOptions, WhatsAppNumber } from './options';
export type { AcceptedMessage, Channel, MessageKind, TemplateCategory, TemplateQuality, TemplateStatus } from './simulator-state';
export { type MetaSimulator, startMetaSimulator } from './server';
export type { ThreadControlCall } from './thread-control';
