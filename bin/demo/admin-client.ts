import { type AfterchatClient, createAfterchatClient } from '../../cli/client/afterchat-client';
import { resolveTarget } from '../../cli/client/target';
import { createTransport } from '../../cli/client/transport';

/** The admin API as the scripts use it: the CLI's client, typed from the contract; a refusal throws with the API's own words. */
export const adminClient = (baseUrl: string): AfterchatClient => createAfterchatClient(createTransport({ target: resolveTarget(baseUrl, {}), env: {} }));
