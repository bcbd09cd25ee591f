import { describe, expect, it } from 'vitest';
import { renderProgressSvg } from '../src/index.ts';
import { inputOf, step, trendOf, week } from './progress-given.ts';
import { descendants, parseXml, textContent, type XmlElement } from './xml-tree.ts';

const render = (...args: Parameters<typeof inputOf>) => {
  const svg = renderProgressSvg(inputOf(...args));
  return { svg, root: parseXml(svg) };
};

const all = (root: XmlElement, name: string, className?: string) =>
  descendants(root).filter((e) => e.name === name && (className === undefined || e.attributes.class === className));

const titleOf = (element: XmlElement) => textContent(element.children.find((c) => c.name === 'title')!);

const num = (element: XmlElement, attribute: string) => Number(element.attributes[attribute]);

/** Three weeks on a 864 px plot from x = 72: 21 days of 864 / 21 px each. */
const DAY = 864 / 21;
const threeWeeks = trendOf([week('2025-09-01', 5, 10), week('2025-09-15', 10, 10)]);

describe('renderProgressSvg: the document', () => {
  it('is a well-formed SVG 1.1 document that names itself for assistive technology', () => {
    const { svg, root } = render({ trend: threeWeeks, steps: [step(1, [['2025-09-03', 6]])] });
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
    expect(root.name).toBe('svg');
    expect(root.attributes).toMatchObject({
      xmlns: 'http://www.w3.org/2000/svg',
      version: '1.1',
      width: '960',
      role: 'img',
      'aria-labelledby': 'progress-title progress-desc',
      viewBox: `0 0 960 ${root.attributes.height}`,
    });
    expect(root.children.slice(0, 2).map((c) => [c.name, c.attributes.id, textContent(c).length > 0])).toEqual([
      ['title', 'progress-title', true],
      ['desc', 'progress-desc', true],
    ]);
  });

  it('loads nothing from outside: no scripts, links, images or web fonts', () => {
    const { svg, root } = render({ trend: threeWeeks });
    expect(descendants(root).map((e) => e.name)).not.toEqual(
      expect.arrayContaining(['script', 'image', 'use', 'a', 'style', 'foreignObject']),
    );
    expect(svg).not.toMatch(/href|url\(|@import|@font-face/);
  });

  it('shows the title, the subtitle and the date it was made, and no subtitle when none is given', () => {
    const withSubtitle = textContent(render({ subtitle: 'Year 3', generatedOn: '2025-12-19' }).root);
    expect(withSubtitle).toContain('Progress picture');
    expect(withSubtitle).toContain('Year 3');
    expect(withSubtitle).toContain('Made on 19 December 2025.');
    expect(textContent(render().root)).not.toContain('Year 3');
  });

  it('describes the picture in words in its desc', () => {
    const { root } = render({
      trend: threeWeeks,
      steps: [
        step(1, [
          ['2025-09-03', 8],
          ['2025-09-04', null],
          ['2025-09-05', 3],
        ]),
      ],
    });
    const desc = textContent(all(root, 'desc')[0]!);
    expect(desc).toContain('50% in the week of 1 Sep');
    expect(desc).toContain('100% in the week of 15 Sep');
    expect(desc).toContain('Step 1: anxiety after went from 8 to 3 over 2 rated attempts.');
  });
});

describe('renderProgressSvg: text from users', () => {
  const hostile = `</text><script>alert("x")</script> & 'co'`;

  it('escapes hostile titles, labels and step descriptions so they stay text', () => {
    const { svg, root } = render({
      title: `<svg onload="alert(1)">`,
      subtitle: 'Tom & Jerry',
      trend: threeWeeks,
      markers: [{ date: '2025-09-03', kind: '"><script>', label: hostile }],
      steps: [step(1, [['2025-09-03', 5]], { description: hostile, state: '<b>bold</b>' })],
    });
    expect(descendants(root).map((e) => e.name)).not.toEqual(expect.arrayContaining(['script', 'b']));
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos;');
    expect(textContent(all(root, 'title')[0]!)).toBe(`<svg onload="alert(1)">`);
    const text = textContent(root);
    expect(text).toContain(hostile);
    expect(text).toContain('Tom & Jerry');
    expect(text).toContain('(<b>bold</b>)');
  });

  it('keeps the document well formed when a label holds characters XML forbids', () => {
    const { root } = render({
      trend: threeWeeks,
      markers: [{ date: '2025-09-03', kind: 'note', label: 'bell\u0007 and \uFFFF' }],
    });
    expect(textContent(root)).toContain('bell\uFFFD and \uFFFD');
  });
});

describe('renderProgressSvg: empty inputs', () => {
  it('says so in each panel when there are no marks and no steps, drawing no chart', () => {
    const { root } = render();
    const text = textContent(root);
    expect(text).toContain('No attendance has been recorded for this school year yet.');
    expect(text).toContain('No steps have been agreed yet.');
    expect(all(root, 'rect', 'week-bar')).toEqual([]);
    expect(all(root, 'polyline')).toEqual([]);
  });

  it('says no attempts are recorded yet and still lists the ladder', () => {
    const text = textContent(render({ trend: threeWeeks, steps: [step(1, [], { state: 'agreed' })] }).root);
    expect(text).toContain('No attempts at a step have been recorded yet.');
    expect(text).toContain('Step 1: Step 1 as agreed (not started yet)');
  });

  it('says the pupil has not rated any attempt when every rating was declined', () => {
    const { root } = render({ trend: threeWeeks, steps: [step(1, [['2025-09-03', null]])] });
    expect(textContent(root)).toContain('The pupil has not rated their anxiety after any attempt yet.');
    expect(all(root, 'polyline', 'step-line')).toEqual([]);
  });

  it('lists plan events even before any attendance is recorded', () => {
    const text = textContent(
      render({ markers: [{ date: '2025-09-03', kind: 'plan_opened', label: 'Plan opened' }] }).root,
    );
    expect(text).toContain('No attendance has been recorded for this school year yet.');
    expect(text).toContain('3 SepPlan opened');
  });
});

describe('renderProgressSvg: weekly attendance', () => {
  it('draws each bar over its week’s school days, as tall as its rate, on one baseline', () => {
    const bars = all(render({ trend: threeWeeks }).root, 'rect', 'week-bar');
    expect(bars.map(titleOf)).toEqual([
      'Week of 1 Sep: 50% of 10 sessions attended',
      'Week of 15 Sep: 100% of 10 sessions attended',
    ]);
    const [half, full] = bars as [XmlElement, XmlElement];
    expect(num(half, 'height')).toBe(125);
    expect(num(full, 'height')).toBe(250);
    expect(num(half, 'y') + num(half, 'height')).toBe(num(full, 'y') + num(full, 'height'));
    expect(num(half, 'x')).toBe(73);
    expect(num(full, 'x')).toBeCloseTo(72 + 14 * DAY + 1, 1);
    expect(num(half, 'width')).toBeCloseTo(5 * DAY - 2, 1);
  });

  it('leaves a week without marks as a grey gap rather than a zero bar', () => {
    const gaps = all(render({ trend: threeWeeks }).root, 'rect', 'no-marks');
    expect(gaps.map(titleOf)).toEqual(['Week of 8 Sep: no register marks']);
    expect(num(gaps[0]!, 'x')).toBeCloseTo(72 + 7 * DAY + 1, 1);
  });

  it('keeps a sliver for a week at 0% so it is not mistaken for a gap', () => {
    const trend = trendOf([week('2025-09-01', 0, 10), week('2025-09-08', 0, 0), week('2025-09-15', 5, 10)]);
    const { root } = render({ trend });
    expect(all(root, 'rect', 'week-bar').map((b) => num(b, 'height'))).toEqual([2, 125]);
    expect(all(root, 'rect', 'no-marks').map(titleOf)).toEqual(['Week of 8 Sep: no register marks']);
  });

  it('breaks the rolling average where a week has no marks', () => {
    const trend = trendOf([week('2025-09-01', 5, 10), week('2025-09-08', 7, 10, 60), week('2025-09-22', 10, 10, 73.3)]);
    const lines = all(render({ trend }).root, 'polyline', 'rolling-average');
    expect(lines.map((l) => l.attributes.points!.split(' ').length)).toEqual([2, 1]);
  });

  it('draws the persistent-absence line at 90% of the scale and labels it', () => {
    const { root } = render({ trend: threeWeeks });
    const full = all(root, 'rect', 'week-bar')[1]!;
    const baseline = num(full, 'y') + num(full, 'height');
    const threshold = all(root, 'line').filter(
      (l) => l.attributes['stroke-dasharray'] === '8 4' && l.attributes.x1 === '72',
    );
    expect(threshold.map((l) => num(l, 'y1'))).toEqual([baseline - 225]);
    expect(textContent(root)).toContain('90%: below this line counts as persistent absence');
  });
});

describe('renderProgressSvg: plan events', () => {
  const markers = [
    { date: '2025-09-17', kind: 'review_held', label: 'First review' },
    { date: '2025-09-03', kind: 'plan_opened', label: 'Plan opened' },
    { date: '2025-09-03', kind: 'celebration', label: 'Went to assembly' },
  ];

  it('numbers events in date order and lists each with its date and label', () => {
    const { root } = render({ trend: threeWeeks, markers });
    const events = all(root, 'g', 'plan-event');
    expect(events.map(titleOf)).toEqual(['3 Sep: Plan opened', '3 Sep: Went to assembly', '17 Sep: First review']);
    expect(events.map((e) => textContent(all(e, 'text')[0]!))).toEqual(['1', '2', '3']);
    const text = textContent(root);
    expect(text).toContain('13 SepPlan opened');
    expect(text).toContain('23 SepWent to assembly');
    expect(text).toContain('317 SepFirst review');
  });

  it('takes the events from the trend when none are given', () => {
    const { root } = render({ trend: trendOf(threeWeeks.weeks, [markers[0]!]) });
    expect(all(root, 'g', 'plan-event').map(titleOf)).toEqual(['17 Sep: First review']);
  });

  it('draws an event on a Wednesday through the middle of that week’s bar', () => {
    const { root } = render({ trend: threeWeeks, markers: [markers[1]!] });
    const bar = all(root, 'rect', 'week-bar')[0]!;
    const line = all(all(root, 'g', 'plan-event')[0]!, 'line')[0]!;
    expect(num(line, 'x1')).toBeCloseTo(72 + 2.5 * DAY, 1);
    expect(num(line, 'x1')).toBeGreaterThan(num(bar, 'x'));
    expect(num(line, 'x1')).toBeLessThan(num(bar, 'x') + num(bar, 'width'));
  });

  it('stacks the badges of events on the same day instead of overlapping them', () => {
    const { root } = render({ trend: threeWeeks, markers });
    const badges = all(root, 'g', 'plan-event').map((e) => all(e, 'circle')[0]!);
    expect(num(badges[0]!, 'cx')).toBe(num(badges[1]!, 'cx'));
    expect(Math.abs(num(badges[0]!, 'cy') - num(badges[1]!, 'cy'))).toBeGreaterThanOrEqual(20);
  });

  it('draws an unknown kind in a neutral colour and a known one in its own', () => {
    const { root } = render({ trend: threeWeeks, markers });
    const strokes = all(root, 'g', 'plan-event').map((e) => all(e, 'circle')[0]!.attributes.stroke);
    expect(strokes).toEqual(['#000000', '#777777', '#CC79A7']);
  });

  it('shades a part-time timetable from the day it starts to the day it ends', () => {
    const { root } = render({
      trend: threeWeeks,
      markers: [
        { date: '2025-09-08', kind: 'part_time_timetable_started', label: 'Mornings only' },
        { date: '2025-09-12', kind: 'part_time_timetable_ended', label: 'Back to full days' },
      ],
    });
    const band = all(root, 'rect').find((r) => r.attributes.fill === '#fbe3cf' && r.attributes.x !== '0')!;
    expect(num(band, 'x')).toBeCloseTo(72 + 7 * DAY, 1);
    expect(num(band, 'width')).toBeCloseTo(5 * DAY, 1);
    expect(textContent(root)).toContain('Part-time timetable: agreed time out of school still counts as absence');
  });
});

describe('renderProgressSvg: anxiety per step', () => {
  const steps = [
    step(
      1,
      [
        ['2025-09-01', 8],
        ['2025-09-02', null],
        ['2025-09-03', 3],
      ],
      { state: 'mastered' },
    ),
    step(2, [
      ['2025-09-15', 10],
      ['2025-09-16', 0],
    ]),
  ];

  it('draws one line per step through a point per rated attempt and says how many were not rated', () => {
    const { root } = render({ trend: threeWeeks, steps });
    const series = all(root, 'g', 'step-series');
    expect(series.map(titleOf)).toEqual(['Step 1: Step 1 as agreed', 'Step 2: Step 2 as agreed']);
    expect(series.map((s) => all(s, 'polyline')[0]!.attributes.points!.split(' ').length)).toEqual([2, 2]);
    expect(textContent(root)).toContain('1 of 5 attempts are not shown because the pupil chose not to rate them.');
  });

  it('puts anxiety 10 at the top of the scale and 0 at its foot, at the date of each attempt', () => {
    const { root } = render({ trend: threeWeeks, steps });
    const points = all(all(root, 'g', 'step-series')[1]!, 'polyline')[0]!
      .attributes.points!.split(' ')
      .map((p) => p.split(',').map(Number) as [number, number]);
    expect(points[1]![1] - points[0]![1]).toBeCloseTo(230, 0);
    expect(points.map(([x]) => x)).toEqual([72 + 14.5 * DAY, 72 + 15.5 * DAY].map((x) => Math.round(x * 10) / 10));
  });

  it('labels each line with its step number, lists each step with its state and says lower is better', () => {
    const text = textContent(render({ trend: threeWeeks, steps }).root);
    expect(text).toContain('Lower is better: anxiety should fall as a step gets easier.');
    expect(text).toContain('Step 1: Step 1 as agreed (mastered)');
    expect(text).toContain('Step 2: Step 2 as agreed (practising)');
    expect(all(render({ trend: threeWeeks, steps }).root, 'text').map(textContent)).toEqual(
      expect.arrayContaining(['Step 1', 'Step 2']),
    );
  });

  it('gives neighbouring steps different colours, point shapes and dashes from the Okabe–Ito palette', () => {
    const many = Array.from({ length: 12 }, (_, i) => step(i + 1, [[`2025-09-${String(i + 1).padStart(2, '0')}`, 5]]));
    const series = all(render({ trend: threeWeeks, steps: many }).root, 'g', 'step-series');
    const looks = series.map((s) => {
      const line = all(s, 'polyline')[0]!;
      const point = s.children.find((c) => c.name !== 'title' && c.name !== 'polyline')!;
      return `${line.attributes.stroke} ${point.name} ${line.attributes['stroke-dasharray'] ?? 'solid'}`;
    });
    expect(new Set(looks).size).toBe(12);
    expect(looks[0]).toBe('#0072B2 circle solid');
    expect(looks[7]).toBe('#0072B2 rect 7 4');
  });

  it('leaves out attempts outside the academic year', () => {
    const { root } = render({
      trend: threeWeeks,
      steps: [
        step(1, [
          ['2025-07-20', 9],
          ['2025-09-03', 4],
        ]),
      ],
    });
    expect(all(all(root, 'g', 'step-series')[0]!, 'polyline')[0]!.attributes.points!.split(' ')).toHaveLength(1);
  });
});
