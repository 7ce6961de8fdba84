/**
 * A step a send job carries out after its message, never before. `passThreadTo`: the handoff's
 * acknowledgement goes first, then the Messenger/Instagram thread passes to that app (Meta lets only
 * the thread's holder send), if the person's `threadMove` register still records the pass of the
 * handoff `eventKey` (no take, and no handover Meta reported, since).
 */
export interface AfterSend {
  passThreadTo: string;
  eventKey: string;
}
