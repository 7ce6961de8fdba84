import { configOf, fieldOf, formOf } from '../../../console/src/pages/automation/automation-form';
import { AutomationConfigSchema, DEFAULT_AUTOMATION_CONFIG } from '../../../lambdas/schemas/automation-config';

const stored = AutomationConfigSchema.parse({
  defaultLanguage: 'de',
  businessHours: { weekly: { mon: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '18:00' }], sat: [{ from: '10:00', to: '14:00' }] }, holidays: [{ date: '2026-12-25', name: 'Weihnachten' }, { date: '2026-12-26' }] },
  greeting: { quietGapHours: 48, texts: { de: 'Hallo {firstName}!', en: 'Hello {firstName}!' } },
  away: { enabled: false, texts: { de: 'Wir sind gleich zurück.' } },
  keywords: { handoff: ['mensch', 'berater'] },
  handoff: { timeoutHours: 12, threadControl: { targetAppId: '263902037430900' } },
  optInRequest: { whatsapp: { topic: 'offers', promptText: 'Dürfen wir dir Angebote schicken?' } },
});

describe('the automation settings form', () => {
  it('gives back the stored configuration unchanged when nothing is edited, opt-in requests kept', () => {
    const { config, errors } = configOf(formOf(stored), { optInRequest: stored.optInRequest });
    expect(errors).toEqual({});
    expect(AutomationConfigSchema.parse(config)).toEqual(stored);
  });

  it('starts from the built-in settings of an account never configured, and saves what the API accepts', () => {
    const form = formOf(DEFAULT_AUTOMATION_CONFIG);
    expect([form.hoursOn, form.greeting.on, form.handoff.timeoutHours]).toEqual([false, false, '24']);
    const { config } = configOf({ ...form, greeting: { on: true, quietGapHours: '24', texts: [{ language: 'en', text: 'Hi {firstName}' }] } }, {});
    expect(AutomationConfigSchema.safeParse(config).success).toBe(true);
  });

  it('names each obvious mistake at its field and gives no configuration', () => {
    const form = formOf(stored);
    const { config, errors } = configOf(
      {
        ...form,
        defaultLanguage: 'deu',
        weekly: { ...form.weekly, tue: '25:00–26:00', wed: '18:00-09:00' },
        holidays: 'Christmas',
        greeting: { on: true, quietGapHours: '1.5', texts: [] },
        defaultReply: { on: true, periodHours: '24', texts: [{ language: 'de', text: '' }] },
        handoff: { ...form.handoff, timeoutHours: '0', targetAppId: 'app' },
      },
      {},
    );
    expect(config).toBeUndefined();
    expect(errors).toEqual({
      defaultLanguage: 'an ISO 639-1 code such as de',
      'businessHours.weekly.tue': '“25:00–26:00” is not a period: write it as 09:00–17:00 (00:00 to 24:00)',
      'businessHours.weekly.wed': 'a period must end after it starts (over midnight: 22:00–24:00, 00:00–06:00)',
      'businessHours.holidays': '“Christmas” is not a day: write it as 2026-12-25 Christmas',
      'greeting.quietGapHours': 'a whole number of hours, 1 to 2160',
      'greeting.texts': 'write the text in at least one language',
      'defaultReply.texts': 'the de text is empty',
      'handoff.timeoutHours': 'a whole number of hours, 1 to 720',
      'handoff.threadControl.targetAppId': 'a numeric Meta app id',
    });
  });

  it('puts an API issue under the field it is about, or the form', () => {
    expect(fieldOf('greeting.texts.de')).toBe('greeting.texts');
    expect(fieldOf('businessHours.weekly.mon.0.from')).toBe('businessHours.weekly.mon');
    expect(fieldOf('handoff.threadControl.targetAppId')).toBe('handoff.threadControl.targetAppId');
    expect(fieldOf('optInRequest.whatsapp.promptText')).toBe('');
  });
});
