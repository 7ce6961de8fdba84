/** Interface under test: which configured text a contact gets, and their first name in it (texts.ts). */
import { languageOf, textFor, withFirstName } from '../../../../lambdas/domain/automation/texts';
import { TextsSchema } from '../../../../lambdas/schemas/automation-config';

const TEXTS = { en: 'Hi {firstName}, welcome!', de: 'Hallo {firstName}, willkommen!', nl: 'Hoi {firstName}, welkom!' };
const contact = (attributes: Record<string, string>) => ({ profileAttributes: attributes, lastInboundAt: 1 });

describe('the text for a contact', () => {
  it.each([
    ['de', 'Hallo Anna, willkommen!'],
    ['de_DE', 'Hallo Anna, willkommen!'],
    ['de-AT', 'Hallo Anna, willkommen!'],
    ['NL', 'Hoi Anna, welkom!'],
    ['fr_FR', 'Hi Anna, welcome!'],
    ['deutsch', 'Hi Anna, welcome!'],
  ])('a contact whose locale is %j reads %j (the account default, en, without a text in theirs)', (locale, text) => {
    expect(textFor(TEXTS, 'en', contact({ locale, firstName: 'Anna' }))).toBe(text);
  });

  it("without a locale, the account's default language; without a text in it, the first language by code", () => {
    expect(textFor(TEXTS, 'nl', contact({ firstName: 'Anna' }))).toBe('Hoi Anna, welkom!');
    expect(textFor({ pt: 'Olá!', it: 'Ciao!' }, 'en', contact({}))).toBe('Ciao!');
    expect(textFor({ pt: 'Olá!', it: 'Ciao!' }, 'en', {})).toBe('Ciao!');
  });

  it('a blank first name counts as none; a name is inserted as written', () => {
    expect(textFor(TEXTS, 'en', contact({ firstName: '  ' }))).toBe('Hi, welcome!');
    expect(textFor({ en: 'Hi {firstName}!' }, 'en', contact({ firstName: ' $& Zoë ' }))).toBe('Hi $& Zoë!');
  });

  it('languageOf takes the ISO 639-1 part of a locale', () => {
    expect([languageOf('pt_BR'), languageOf('es-419'), languageOf('it'), languageOf('x'), languageOf(undefined)]).toEqual(['pt', 'es', 'it', undefined, undefined]);
  });
});

describe('{firstName} without a name', () => {
  it.each([
    ['Hi {firstName}, welcome', 'Hi, welcome'],
    ['Hallo {firstName}!', 'Hallo!'],
    ['Welcome, {firstName}!', 'Welcome!'],
    ['Thanks, {firstName}, for writing', 'Thanks for writing'],
    ['Hi {firstName} and welcome', 'Hi and welcome'],
    ['{firstName}, your order is ready', 'Your order is ready'],
    ['{firstName}! Great to hear from you.', 'Great to hear from you.'],
    ['Hi {firstName},\n{firstName}, we are closed.', 'Hi,\nWe are closed.'],
    ['Bonjour {firstName} !', 'Bonjour !'],
    ['No name here.', 'No name here.'],
  ])('%j reads %j', (text, expected) => {
    expect(withFirstName(text, undefined)).toBe(expected);
  });

  it('with a name, every placeholder is replaced and nothing else changes', () => {
    expect(withFirstName('{firstName}, hi {firstName} ', 'Kim')).toBe('Kim, hi Kim ');
  });
});

describe('a configured text', () => {
  it('is refused when it is only the name placeholder, since a contact without a name would get an empty message', () => {
    expect(TextsSchema.safeParse({ en: '{firstName}!' }).success).toBe(false);
    expect(TextsSchema.safeParse({ en: 'Hi {firstName}!' }).success).toBe(true);
  });
});
