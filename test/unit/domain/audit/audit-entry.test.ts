/** Interface under test: the audit log's pure rules (lambdas/domain/audit/audit-entry.ts). */
import { actionOf, auditDay, auditId, auditTarget, isAudited, principalOf, UNAUTHENTICATED } from '../../../../lambdas/domain/audit/audit-entry';
import { digest } from '../../../../lambdas/domain/event-key';

describe('audit entries', () => {
  it('records POST, PUT, PATCH and DELETE, never GET, HEAD or OPTIONS', () => {
    expect(['POST', 'PUT', 'PATCH', 'DELETE', 'delete'].map(isAudited)).toEqual([true, true, true, true, true]);
    expect(['GET', 'HEAD', 'OPTIONS'].map(isAudited)).toEqual([false, false, false]);
  });

  it('names the action by method and the contract’s route template', () => {
    expect(actionOf('put', '/admin/accounts/{channel}/{accountId}')).toBe('PUT /admin/accounts/{channel}/{accountId}');
  });

  it('keeps ids of the business’s own things, and only a hash of a user id, a message id, an unknown parameter or an odd value', () => {
    expect(auditTarget({ channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' })).toEqual({
      channel: 'whatsapp',
      accountId: '109876543210987',
      userIdHash: digest('4915112345678'),
    });
    expect(auditTarget({ messageId: 'wamid.HBgNNDkxNTE=', param1: 'x' })).toEqual({ messageIdHash: digest('wamid.HBgNNDkxNTE='), param1Hash: digest('x') });
    // A phone number typed where an account id goes is an id-looking value: kept; a value with a space or over 128 characters is not.
    expect(auditTarget({ accountId: '+49 151 12345678', campaignId: 'c'.repeat(129) })).toEqual({
      accountIdHash: digest('+49 151 12345678'),
      campaignIdHash: digest('c'.repeat(129)),
    });
    // An import and its chunk number are the business's own: a CSV upload's entries name them.
    expect(auditTarget({ importId: '0f8a2c34-5d6e-4f70-8a9b-0c1d2e3f4a5b', seq: '12' })).toEqual({ importId: '0f8a2c34-5d6e-4f70-8a9b-0c1d2e3f4a5b', seq: '12' });
    // What the body names comes after the path and never replaces it.
    expect(auditTarget({ campaignId: 'weekly' }, { campaignId: 'other', userId: '4915112345678', outboxId: undefined })).toEqual({
      campaignId: 'weekly',
      userIdHash: digest('4915112345678'),
    });
  });

  it('takes the principal from an HTTP API’s IAM authoriser, a REST API’s identity, or calls it unauthenticated', () => {
    expect(principalOf({ authorizer: { iam: { userArn: 'arn:aws:iam::1:user/ops', callerId: 'AIDA1', accountId: '1' } } })).toEqual({
      principal: 'arn:aws:iam::1:user/ops',
      callerId: 'AIDA1',
      callerAccount: '1',
    });
    expect(principalOf({ identity: { userArn: 'arn:aws:iam::2:user/rest', caller: 'AIDA2', accountId: '2' } })).toEqual({
      principal: 'arn:aws:iam::2:user/rest',
      callerId: 'AIDA2',
      callerAccount: '2',
    });
    expect(principalOf({ authorizer: { iam: { callerId: 'AROA3:session' } } })).toEqual({ principal: 'caller:AROA3:session', callerId: 'AROA3:session' });
    expect(principalOf({ http: { method: 'PUT' } })).toEqual({ principal: UNAUTHENTICATED });
    expect(principalOf(undefined)).toEqual({ principal: UNAUTHENTICATED });
  });

  it('files an entry under its UTC day, with an id that sorts by time', () => {
    const at = Date.parse('2026-12-31T23:59:59.999Z');
    expect(auditDay(at)).toBe('2026-12-31');
    expect(auditDay(at + 1)).toBe('2027-01-01');
    expect(auditId(at, 'b') < auditId(at + 1, 'a')).toBe(true);
  });
});
