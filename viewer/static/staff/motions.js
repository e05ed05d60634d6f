// The motions of an agenda item as staff prepare them: one form for every kind (a resolution, an amendment, a
// procedural matter, a dismissal, an election with its candidates and seats, a confidence vote or poll over a list
// of officials with their titles), with the countdown and whether a delegate may change their vote; the council's
// ballot templates to start from, and the form's settings kept as a new template. The server checks what fits
// each kind and says why when something does not.

import { api } from '../shared/api.js';
import { askToConfirm } from '../shared/confirm.js';
import { h, replace } from '../shared/dom.js';
import { field, form, select, value } from '../shared/forms.js';
import { formatNumber, labelFor, t } from '../shared/i18n.js';
import { motionKindLabel } from '../shared/views.js';

const KINDS = ['resolution', 'amendment', 'procedural', 'dismissal', 'election', 'confidence_vote', 'confidence_poll'];
const ALWAYS_SECRET = ['election', 'confidence_vote', 'confidence_poll'];
const WITH_PEOPLE = ['election', 'confidence_vote', 'confidence_poll'];
const BALLOTS = ['open', 'named', 'secret'];
const RULES = ['more_than_half_of_total', 'two_thirds_of_total'];
const DEFAULT_RULE = { dismissal: 'two_thirds_of_total' };

// The candidates of an election or the officials of a confidence vote: a name and a title per row.
class PeopleEditor {
  constructor(people) {
    this.rows = h('ol', { class: 'people-rows', 'data-testid': 'people' });
    this.legend = h('legend');
    this.add = h('button', { type: 'button', class: 'button button-quiet', 'data-testid': 'add-person', on: { click: () => this.addRow({ name: '', title: '' }, true) } });
    this.root = h('fieldset', { class: 'people' }, this.legend, this.rows, this.add);
    for (const person of people.length ? people : [{ name: '', title: '' }]) this.addRow(person);
  }

  addRow(person, focus = false) {
    const name = h('input', { name: 'person-name', maxlength: 200, value: person.name });
    const title = h('input', { name: 'person-title', maxlength: 200, value: person.title ?? '' });
    const row = h('li', { class: 'person-row' }, field('', name), field('', title));
    const remove = h('button', { type: 'button', class: 'button button-quiet', on: { click: () => { row.remove(); this.relabel(this.kind); } } });
    row.append(remove);
    this.rows.append(row);
    this.relabel(this.kind);
    if (focus) name.focus();
  }

  relabel(kind) {
    this.kind = kind;
    const election = kind === 'election';
    this.legend.textContent = t(election ? 'motion.candidates' : 'motion.officials');
    this.add.textContent = t(election ? 'motion.addCandidate' : 'motion.addOfficial');
    [...this.rows.children].forEach((row, index) => {
      const [name, title] = row.querySelectorAll('label');
      const number = formatNumber(index + 1);
      name.textContent = t('motion.personName', { number });
      title.textContent = t(election ? 'motion.personTitleOptional' : 'motion.personTitle', { number });
      row.querySelector('button').textContent = '✕';
      row.querySelector('button').setAttribute('aria-label', t('motion.removePerson', { number }));
    });
  }

  get people() {
    return [...this.rows.children]
      .map((row) => ({ name: row.querySelector('[name=person-name]').value.trim(), title: row.querySelector('[name=person-title]').value.trim() }))
      .filter((person) => person.name);
  }

  set people(people) {
    replace(this.rows);
    for (const person of people.length ? people : [{ name: '', title: '' }]) this.addRow(person);
  }
}

// The settings of a motion or a template as the form holds them, and back.
function settingsOf(element, people) {
  const kind = value(element, 'kind');
  const countdown = value(element, 'countdown_seconds');
  return {
    kind,
    ballot_type: value(element, 'ballot_type'),
    rule: value(element, 'rule'),
    options: WITH_PEOPLE.includes(kind) ? people.people : [],
    seats: kind === 'election' ? Number(value(element, 'seats') || 1) : 1,
    countdown_seconds: countdown ? Number(countdown) : null,
    allow_change: element.elements.namedItem('allow_change').checked,
    requires_quorum: element.elements.namedItem('requires_quorum').checked,
  };
}

function fill(element, people, settings) {
  for (const name of ['kind', 'ballot_type', 'rule']) element.elements.namedItem(name).value = settings[name];
  element.elements.namedItem('seats').value = String(settings.seats ?? 1);
  element.elements.namedItem('countdown_seconds').value = settings.countdown_seconds ? String(settings.countdown_seconds) : '';
  element.elements.namedItem('allow_change').checked = Boolean(settings.allow_change);
  element.elements.namedItem('requires_quorum').checked = settings.requires_quorum ?? true;
  people.people = (settings.options ?? []).map(({ name, title }) => ({ name, title }));
}

// What the chosen kind implies: a secret ballot, the rule, the list of people and the seats.
function fitKind(element, people, { keepRule = false } = {}) {
  const kind = value(element, 'kind');
  const ballot = element.elements.namedItem('ballot_type');
  const secret = ALWAYS_SECRET.includes(kind);
  if (secret) ballot.value = 'secret';
  ballot.disabled = secret;
  element.querySelector('[data-hint=ballot]').hidden = !secret;
  if (!keepRule) element.elements.namedItem('rule').value = DEFAULT_RULE[kind] ?? 'more_than_half_of_total';
  people.root.hidden = !WITH_PEOPLE.includes(kind);
  people.relabel(kind);
  element.querySelector('[data-field=seats]').hidden = kind !== 'election';
  const change = element.elements.namedItem('allow_change');
  change.disabled = ballot.value === 'secret';
  if (change.disabled) change.checked = false;
}

// The form of a motion: `initial` fills it (editing), `templates` offers a start; `save(body)` sends it.
export function motionForm({ initial = null, templates = [], councilId, submitText, save, testid, onTemplates }) {
  const people = new PeopleEditor(initial?.options ?? []);
  const kind = select('kind', KINDS.map((k) => [k, labelFor('motion.kind', k)]), initial?.kind ?? 'resolution');
  const ballot = select('ballot_type', BALLOTS.map((b) => [b, labelFor('motion.ballot', b)]), initial?.ballot_type ?? 'open');
  const rule = select('rule', RULES.map((r) => [r, labelFor('motion.rule', r)]), initial?.rule ?? 'more_than_half_of_total');
  const seats = h('input', { name: 'seats', type: 'number', min: 1, max: 50, value: String(initial?.seats ?? 1) });
  const countdown = h('input', { name: 'countdown_seconds', type: 'number', min: 10, max: 3600, step: 5, value: initial?.countdown_seconds ? String(initial.countdown_seconds) : '' });
  const allowChange = h('input', { name: 'allow_change', type: 'checkbox', checked: Boolean(initial?.allow_change) });
  const quorum = h('input', { name: 'requires_quorum', type: 'checkbox', checked: initial?.requires_quorum ?? true });
  const template = templates.length
    ? field(
        t('motion.fromTemplate'),
        select('template', [['', t('motion.noTemplate')], ...templates.map((tpl) => [tpl.id, tpl.name])], ''),
      )
    : null;
  const seatsField = field(t('motion.seatsLabel'), seats);
  seatsField.dataset.field = 'seats';
  const element = form({
    testid,
    className: 'motion-form',
    fields: [
      template,
      field(t('setup.motionTitle'), h('input', { name: 'title', required: true, maxlength: '500', value: initial?.title ?? '' })),
      h('div', { class: 'form-row' }, field(t('motion.kindLabel'), kind), field(t('setup.ballot'), ballot)),
      h('p', { class: 'muted', 'data-hint': 'ballot', text: t('motion.alwaysSecret') }),
      field(t('motion.ruleLabel'), rule),
      people.root,
      seatsField,
      field(t('motion.countdown'), countdown),
      field(t('motion.allowChange'), allowChange),
      field(t('motion.requiresQuorum'), quorum),
    ],
    submitText,
    submit: async (formElement) => {
      await save({ title: value(formElement, 'title'), ...settingsOf(formElement, people) });
    },
  });
  element.addEventListener('reset', () => window.setTimeout(() => fitKind(element, people)));
  kind.addEventListener('change', () => fitKind(element, people));
  ballot.addEventListener('change', () => fitKind(element, people, { keepRule: true }));
  const removeTemplate = h('button', {
    type: 'button',
    class: 'button button-quiet',
    hidden: true,
    'data-testid': 'remove-template',
    text: t('motion.removeTemplate'),
    on: {
      click: async () => {
        const chosen = templates.find((tpl) => String(tpl.id) === value(element, 'template'));
        if (!chosen) return;
        const sure = await askToConfirm({
          title: t('motion.removeTemplateTitle'),
          describe: () => [h('p', { text: t('motion.removeTemplateText', { name: chosen.name }) })],
          confirmText: t('motion.removeTemplate'),
        });
        if (!sure) return;
        await api.delete(`/api/ballot-templates/${chosen.id}`);
        await onTemplates?.({ removed: true });
      },
    },
  });
  template?.append(removeTemplate);
  template?.querySelector('select').addEventListener('change', (event) => {
    const chosen = templates.find((tpl) => String(tpl.id) === event.target.value);
    removeTemplate.hidden = !chosen;
    if (!chosen) return;
    fill(element, people, chosen);
    fitKind(element, people, { keepRule: true });
  });
  fitKind(element, people, { keepRule: Boolean(initial) });
  if (councilId) element.append(templateSaver(element, people, councilId, onTemplates));
  return element;
}

// Keeps the form's settings as a template of the council, under a name.
function templateSaver(element, people, councilId, onTemplates) {
  const name = h('input', { name: 'template_name', maxlength: 200 });
  const status = h('p', { class: 'muted', role: 'status' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const button = h('button', {
    type: 'button',
    class: 'button',
    'data-testid': 'save-template',
    text: t('motion.saveTemplate'),
    on: {
      click: async () => {
        error.textContent = '';
        status.textContent = '';
        try {
          const made = await api.post(`/api/councils/${councilId}/ballot-templates`, { name: name.value.trim(), ...settingsOf(element, people) });
          status.textContent = t('motion.templateSaved', { name: made.name });
          name.value = '';
          onTemplates?.();
        } catch (failure) {
          error.textContent = failure.message;
        }
      },
    },
  });
  return h('div', { class: 'template-saver' }, field(t('motion.templateName'), name), h('div', { class: 'form-actions' }, button), status, error);
}

function motionFacts(motion) {
  const facts = [h('span', { class: 'chip', text: motionKindLabel(motion) }), h('span', { class: ['chip', `chip-${motion.ballot_type}`], text: labelFor('motion.ballot', motion.ballot_type) })];
  if (motion.countdown_seconds) facts.push(h('span', { class: 'chip', text: t('motion.countdownChip', { seconds: formatNumber(motion.countdown_seconds) }) }));
  if (motion.allow_change) facts.push(h('span', { class: 'chip', text: t('motion.changeChip') }));
  if (!motion.requires_quorum) facts.push(h('span', { class: 'chip', text: t('motion.noQuorumChip') }));
  return h('span', { class: 'facts' }, facts);
}

// One motion of the agenda: its settings, its candidates or officials, and (while preparing) edit and remove.
export function motionItem(motion, { preparing, templates, onChange }) {
  const people = motion.options.length
    ? h('ol', { class: 'motion-people' }, motion.options.map((o) => h('li', { text: o.title ? `${o.name} — ${o.title}` : o.name })))
    : null;
  const edit = preparing
    ? h(
        'details',
        { class: 'setup-add' },
        h('summary', { text: t('motion.edit') }),
        motionForm({
          initial: motion,
          templates,
          submitText: t('setup.save'),
          testid: 'edit-motion',
          save: async (body) => {
            await api.put(`/api/motions/${motion.id}`, body);
            await onChange();
          },
        }),
      )
    : null;
  const remove = preparing
    ? h('button', {
        type: 'button',
        class: 'button button-quiet',
        text: t('motion.remove'),
        'aria-label': t('motion.removeTitle', { title: motion.title }),
        on: {
          click: async () => {
            const sure = await askToConfirm({
              title: t('motion.removeConfirmTitle'),
              describe: () => [h('p', { text: t('motion.removeConfirmText', { title: motion.title }) })],
              confirmText: t('motion.remove'),
            });
            if (!sure) return;
            await api.delete(`/api/motions/${motion.id}`);
            await onChange();
          },
        },
      })
    : null;
  return h('li', { class: 'motion motion-setup', 'data-testid': 'setup-motion' }, h('span', { class: 'motion-title', text: motion.title }), motionFacts(motion), people, edit, remove);
}
