/** Interface under test: the MeasurementCounters and ConversationTurnStore ports, on the in-memory adapters. */
import { InMemoryConversationTurns } from '../../../lambdas/adapters/memory/conversation-turns';
import { InMemoryMeasurementCounters } from '../../../lambdas/adapters/memory/measurement-counters';
import { describeMeasurementContract } from '../../contract/measurement-counters.contract';

describeMeasurementContract('in memory', () => ({ counters: new InMemoryMeasurementCounters(), turns: new InMemoryConversationTurns() }));
