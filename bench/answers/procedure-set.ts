/**
 * The procedure evaluation set: how-to questions whose answer is a procedure, with the steps and the
 * cautions/notes the manual attaches to it (as substrings of the manual's own sentences) and the pages
 * an answer must cite. Two sources: the bundled demo manuals, and generated manuals whose procedures
 * use numbered steps, "Caution:/Note:/Warning:" labels, distractor procedures on the same page, and
 * procedures that cross a page break.
 */
import type { DemoPage } from '../../scripts/demo-manuals/content.js';
import { mulberry32, pick, shuffled } from '../queries/random.js';

export interface ProcedureCase {
  /** Which manual: a demo product id, or a generated manual's name. */
  manual: string;
  question: string;
  steps: string[];
  cautions: string[];
  pages: number[];
}

export const DEMO_PROCEDURES: ProcedureCase[] = [
  {
    manual: 'roland_87-tr8s',
    question: 'How do I restore the factory settings?',
    steps: [
      'switch the unit off, then hold the SAMPLE button and switch the power on',
      'Keep holding until the display shows FACTORY RESET',
      'Press the flashing step button 16 to confirm',
    ],
    cautions: [
      'Everything you saved is erased, so back up your data to an SD card first',
      'do not switch off the power while the display shows',
    ],
    pages: [5],
  },
  {
    manual: 'roland_87-tr8s',
    question: 'how do I save a pattern',
    steps: ['To save a pattern, press WRITE, choose a pattern slot with the VALUE knob and press WRITE again'],
    cautions: [],
    pages: [3],
  },
  {
    manual: 'roland_87-tr8s',
    question: 'how can I update the firmware on the TR-8S?',
    steps: ['copy the update file to the root of the SD card and power on while holding the START button'],
    cautions: [],
    pages: [5],
  },
  {
    manual: 'roland_87-tr8s',
    question: 'how do I change the MIDI channel it receives on?',
    steps: ['press UTILITY, select MIDI with the SELECT knob and set Rx Channel'],
    cautions: [],
    pages: [4],
  },
  {
    manual: 'akai_professional_55_mpclive2',
    question: 'How do I restore the factory image?',
    steps: ['hold SHIFT and MENU while powering on to start the recovery mode, then tap Restore Factory Image'],
    cautions: ['This erases the internal drive, so copy your projects to a USB drive first'],
    pages: [5],
  },
  {
    manual: 'akai_professional_55_mpclive2',
    question: 'how do I reset the preferences to default?',
    steps: ['open Menu, Preferences, and tap Reset Preferences at the bottom of the General tab'],
    cautions: ['Your projects and samples on the internal drive are kept'],
    pages: [5],
  },
  {
    manual: 'allen_heath_40_sq5',
    question: 'How do I reset the SQ-5 to factory defaults?',
    steps: ['Hold the Home key while switching the mixer on, then choose Reset Mixer to Factory Defaults'],
    cautions: ['A full factory reset erases all scenes, libraries, user profiles and network settings'],
    pages: [5],
  },
  {
    manual: 'allen_heath_40_sq5',
    question: 'how do I store a scene',
    steps: ['To store a scene, open Scenes, select a slot and tap Store'],
    cautions: [],
    pages: [3],
  },
  {
    manual: 'mackie_60_mcasterlive',
    question: 'How do I reset the M-Caster Live to factory settings?',
    steps: [
      'hold the Voice FX and Mute buttons together for ten seconds until all lights flash three times',
      'Pair your Bluetooth devices again afterwards',
    ],
    cautions: ['A factory reset clears the recorded Sound FX clips, the Bluetooth pairing list and the effect choices'],
    pages: [5],
  },
  {
    manual: 'mackie_60_mcasterlive',
    question: 'how do I pair my phone over bluetooth?',
    steps: ['hold the Bluetooth button until its light flashes blue, then choose M-Caster Live on the device'],
    cautions: [],
    pages: [4],
  },
  {
    manual: 'roland_87-spdsx',
    question: 'How do I do a factory reset on the SPD-SX?',
    steps: [
      'press MENU, select UTILITY, then FACTORY RESET, and press the flashing pad 9 to confirm',
      'Back up your data to a USB flash drive first',
    ],
    cautions: ['You can choose whether the samples you imported are erased too'],
    pages: [5],
  },
];

interface ProcedureSpec {
  heading: string;
  question: string;
  lead?: string;
  steps: string[];
  notes: { after: number; text: string }[];
  warning?: string;
}

const PARTS = [
  'filter',
  'drive belt',
  'pickup cartridge',
  'fan module',
  'battery pack',
  'stylus',
  'fuse',
  'input board',
];
const VERBS = [
  ['Remove', 'the two screws on the rear cover with a cross-head screwdriver'],
  ['Lift', 'the cover off and set it aside'],
  ['Disconnect', 'the ribbon cable from the connector marked J4'],
  ['Slide', 'the old part out of its guide rails'],
  ['Insert', 'the new part until it clicks into place'],
  ['Reconnect', 'the ribbon cable to J4'],
  ['Refit', 'the cover and tighten the screws by hand'],
  ['Switch', 'the unit on and check that the STATUS light glows green'],
  ['Hold', 'the SETUP button for three seconds'],
  ['Turn', 'the DATA wheel to the value shown on the label'],
  ['Press', 'ENTER to store the value'],
  ['Wait', 'until the display shows DONE'],
];
const CAUTIONS = [
  'Caution: unplug the power cord before you open the cover; parts inside carry mains voltage.',
  'Caution: the part may be hot after use, so let the unit cool down for ten minutes first.',
  'Important: use only replacement parts approved for this model, or the warranty is void.',
];
const NOTES = [
  'Note: the connector is fragile, so pull it by its tab and never by the cable.',
  'Note: if the part does not slide freely, check that the guide rails are clean.',
  'Note: the STATUS light blinks while the unit checks the new part.',
  'Note: the old part can be recycled with electronic waste.',
];
const WARNINGS = [
  'Warning: do not switch the unit on while the cover is open.',
  'Warning: never run the unit without the part installed; the motor can overheat.',
];
const FILLER = [
  'The model has a two-year warranty that covers parts and labour.',
  'Regular cleaning keeps the ventilation slots free of dust.',
  'Dealers can order spare parts under the part numbers in the appendix.',
  'The front panel lights dim automatically after five minutes without use.',
  'A carrying case is available as an accessory.',
  'Firmware updates add features and are free of charge.',
];

function procedureSpec(random: () => number, part: string): ProcedureSpec {
  const stepCount = 4 + Math.floor(random() * 4);
  const steps = shuffled(random, VERBS)
    .slice(0, stepCount)
    .map(
      ([verb, rest]) =>
        `${verb} ${rest!.replace('the old part', `the old ${part}`).replace('the new part', `the new ${part}`)}.`,
    );
  const notes = shuffled(random, NOTES)
    .slice(0, 1 + Math.floor(random() * 2))
    .map((text) => ({ after: Math.floor(random() * stepCount), text }));
  return {
    heading: `Replacing the ${part}`,
    question: pick(random, [
      `How do I replace the ${part}?`,
      `how to change the ${part}`,
      `steps to replace the ${part}`,
    ]),
    ...(random() < 0.7 ? { lead: pick(random, CAUTIONS) } : {}),
    steps,
    notes,
    ...(random() < 0.6 ? { warning: pick(random, WARNINGS) } : {}),
  };
}

function paragraphsOf(spec: ProcedureSpec): { text: string; kind: 'step' | 'caution' }[] {
  const out: { text: string; kind: 'step' | 'caution' }[] = [];
  if (spec.lead) out.push({ text: spec.lead, kind: 'caution' });
  spec.steps.forEach((step, i) => {
    out.push({ text: `${i + 1}. ${step}`, kind: 'step' });
    for (const note of spec.notes.filter((n) => n.after === i)) out.push({ text: note.text, kind: 'caution' });
  });
  if (spec.warning) out.push({ text: spec.warning, kind: 'caution' });
  return out;
}

export interface GeneratedManual {
  name: string;
  title: string;
  pages: DemoPage[];
  cases: ProcedureCase[];
}

/**
 * A short service manual: an intro page, then per part a page that opens with unrelated text and a
 * short distractor procedure, and the part's replacement procedure, which for every other part runs
 * over onto the next page (a page with no heading of its own).
 */
export function generatedManuals(count = 6, seed = 29): GeneratedManual[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, m) => {
    const name = `service-${m + 1}`;
    const title = `Service Guide ${m + 1}`;
    const pages: DemoPage[] = [
      { heading: 'About this guide', paragraphs: [pick(random, FILLER), pick(random, FILLER)] },
    ];
    const cases: ProcedureCase[] = [];
    for (const [p, part] of shuffled(random, PARTS).slice(0, 3).entries()) {
      const spec = procedureSpec(random, part);
      const body = paragraphsOf(spec);
      const distractor = `To clean the ${part} housing, wipe it with a dry cloth.`;
      const split = p % 2 === 0 ? Math.max(2, Math.floor(body.length / 2)) : body.length;
      const first = body.slice(0, split);
      const rest = body.slice(split);
      const startPage = pages.length + 1;
      pages.push({ heading: `Looking after the ${part}`, paragraphs: [pick(random, FILLER), distractor] });
      pages.push({ heading: spec.heading, paragraphs: first.map((b) => b.text) });
      if (rest.length > 0) pages.push({ heading: '', paragraphs: [...rest.map((b) => b.text), pick(random, FILLER)] });
      const where = (b: { text: string }) => (first.includes(b as never) ? startPage + 1 : startPage + 2);
      cases.push({
        manual: name,
        question: spec.question,
        steps: body.filter((b) => b.kind === 'step').map((b) => b.text.replace(/^\d+\. /, '').replace(/\.$/, '')),
        cautions: body.filter((b) => b.kind === 'caution').map((b) => b.text.replace(/\.$/, '')),
        pages: [...new Set(body.map(where))],
      });
    }
    return { name, title, pages, cases };
  });
}
