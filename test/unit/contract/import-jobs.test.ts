/** Interface under test: the ImportJobs port, on the in-memory adapter the import's unit tests use. */
import { InMemoryImportJobs } from '../../../lambdas/adapters/memory/import-jobs';
import { describeImportJobsContract } from '../../contract/import-jobs.contract';

describeImportJobsContract('InMemoryImportJobs', () => Promise.resolve(new InMemoryImportJobs()));
