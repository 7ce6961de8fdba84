import { type SendForm, sendIntent } from '../../../console/src/pages/sends/send-intent';

const form = (over: Partial<SendForm>): SendForm => ({
  account: 'whatsapp/109876543210987',
  userId: '+49 151 1234-5678',
  kind: 'reply',
  author: 'human',
  contentType: 'text',
  text: 'Hello',
  templateName: '',
  templateLanguage: '',
  templateParameters: '',
  ...over,
});

describe('the one-off send form as a send intent', () => {
  it('reads a WhatsApp number as typed, with + and spaces', () => {
    expect(sendIntent(form({}))).toEqual({
      channel: 'whatsapp',
      accountId: '109876543210987',
      userId: '4915112345678',
      kind: 'reply',
      author: 'human',
      content: { type: 'text', text: 'Hello' },
    });
  });

  it('is nothing while the account, the person or the content is missing', () => {
    expect(sendIntent(form({ account: '' }))).toBeUndefined();
    expect(sendIntent(form({ userId: '  ' }))).toBeUndefined();
    expect(sendIntent(form({ text: ' ' }))).toBeUndefined();
    expect(sendIntent(form({ contentType: 'template', templateName: 'spring_sale' }))).toBeUndefined();
  });

  it('sends a template with its body parameters, one per line', () => {
    expect(sendIntent(form({ contentType: 'template', templateName: ' spring_sale ', templateLanguage: 'de', templateParameters: 'Anna\n\n20 %\n' }))?.content).toEqual({
      type: 'template',
      name: 'spring_sale',
      language: 'de',
      components: [{ type: 'body', parameters: [{ type: 'text', value: 'Anna' }, { type: 'text', value: '20 %' }] }],
    });
  });
});
