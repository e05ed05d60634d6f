// Importing the office's compilation workbook: upload, see which row HopSo took for the headers and what it thinks
// each column means, correct the mapping, import every row (or see each bad row by its line), then merge the likely
// duplicates the import brought.

import { api } from '../shared/api.js';
import { h, replace } from '../shared/dom.js';
import { field, form, value } from '../shared/forms.js';
import { formatNumber, labelFor, t } from '../shared/i18n.js';
import { CHANNELS, options } from './petition-common.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function problems(error) {
  if (!error.details?.length || error.details[0].line === undefined) return null;
  return h(
    'ul',
    { class: 'import-problems', 'data-testid': 'import-problems' },
    error.details.map((d) => h('li', { text: t('pet.importLine', { line: d.line, column: d.column, problem: d.problem }) })),
  );
}

function mappingTable(preview) {
  return h(
    'div',
    { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': t('pet.mapping') },
    h(
      'table',
      { class: 'table', 'data-testid': 'import-mapping' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', { scope: 'col', text: t('pet.column') }), h('th', { scope: 'col', text: t('pet.header') }), h('th', { scope: 'col', text: t('pet.meaning') }), h('th', { scope: 'col', text: t('pet.firstRow') })),
      ),
      h(
        'tbody',
        {},
        preview.columns.map((column) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', text: column.letter }),
            h('td', { text: column.header }),
            h(
              'td',
              {},
              h(
                'select',
                { name: `map-${column.letter}`, 'aria-label': t('pet.meaningOf', { column: column.letter }) },
                preview.targets.map((target) => h('option', { value: target, selected: target === column.target, text: labelFor('pet.target', target) })),
              ),
            ),
            h('td', { text: String(preview.sample[0]?.[column.letter] ?? '') }),
          ),
        ),
      ),
    ),
  );
}

function duplicateGroups(groups, onMerged) {
  if (!groups.length) return h('p', { class: 'notice notice-ok', text: t('pet.noDuplicates') });
  return h(
    'section',
    { 'aria-labelledby': 'import-dup-heading', 'data-testid': 'import-duplicates' },
    h('h3', { id: 'import-dup-heading', text: t('pet.importDuplicates', { count: formatNumber(groups.length) }) }),
    h(
      'ul',
      { class: 'duplicate-groups' },
      groups.map((group) => {
        const item = h(
          'li',
          { class: 'duplicate-group', 'data-testid': 'duplicate-group' },
          h('p', { class: 'duplicate-main', text: `#${group.petition.id} · ${group.petition.content}` }),
          h('ul', {}, group.candidates.map((c) => h('li', { text: `#${c.id} (${formatNumber(c.score)}%) · ${c.content}` }))),
        );
        item.append(
          h('button', {
            type: 'button',
            class: 'button',
            'data-testid': 'merge-group',
            text: t('pet.mergeGroup'),
            on: {
              click: async (event) => {
                event.currentTarget.disabled = true;
                await api.post(`/api/petitions/${group.petition.id}/merge`, { petition_ids: group.candidates.map((c) => c.id) });
                replace(item, h('p', { class: 'notice notice-ok', text: t('pet.merged', { id: group.petition.id }) }));
                onMerged();
              },
            },
          }),
        );
        return item;
      }),
    ),
  );
}

export async function importView(council, showList) {
  const root = h('section', { class: 'panel', 'aria-labelledby': 'import-heading' });
  const result = h('div', { 'aria-live': 'polite' });
  const file = h('input', { name: 'file', type: 'file', accept: `.xlsx,${XLSX}`, required: true, 'data-testid': 'import-file' });
  const upload = form({
    testid: 'import-upload',
    fields: [field(t('pet.workbook'), file)],
    submitText: t('pet.readWorkbook'),
    submit: async () => {
      const chosen = file.files[0];
      if (!chosen) throw new Error(t('pet.chooseWorkbook'));
      const preview = await api.upload(`/api/councils/${council.id}/petitions/import/preview?file_name=${encodeURIComponent(chosen.name)}`, {
        text: await chosen.arrayBuffer(),
        type: XLSX,
      });
      replace(result, confirmForm(council, preview, result, showList));
    },
  });
  replace(
    root,
    h('h2', { id: 'import-heading', text: t('pet.importHeading') }),
    h('p', { class: 'muted', text: t('pet.importHint') }),
    upload,
    result,
  );
  return root;
}

function confirmForm(council, preview, result, showList) {
  const error = h('div', { role: 'alert' });
  const element = form({
    testid: 'import-confirm',
    fields: [
      h('p', { 'data-testid': 'import-found', text: t('pet.importFound', { sheet: preview.sheet, row: preview.header_row, count: formatNumber(preview.rows) }) }),
      mappingTable(preview),
      field(t('pet.term'), h('input', { name: 'term', maxlength: '100', value: council.term })),
      field(t('pet.channel'), h('select', { name: 'channel' }, options(CHANNELS, 'pet.channel').map(([v, text]) => h('option', { value: v, text })))),
      error,
    ],
    submitText: t('pet.importRows', { count: formatNumber(preview.rows) }),
    submit: async (formElement) => {
      replace(error);
      const mapping = Object.fromEntries(preview.columns.map((c) => [c.letter, value(formElement, `map-${c.letter}`)]));
      let done;
      try {
        done = await api.post(`/api/councils/${council.id}/petitions/import`, {
          token: preview.token,
          mapping,
          term: value(formElement, 'term'),
          channel: value(formElement, 'channel'),
        });
      } catch (failure) {
        replace(error, problems(failure));
        throw failure;
      }
      const groups = await api.get(`/api/petition-imports/${done.import_id}/duplicates`);
      replace(
        result,
        h('p', { class: 'notice notice-ok', role: 'status', 'data-testid': 'import-done', text: t('pet.imported', { count: formatNumber(done.created) }) }),
        duplicateGroups(groups, () => {}),
        h('p', {}, h('button', { type: 'button', class: 'button button-primary', text: t('pet.toList'), on: { click: showList } })),
      );
    },
  });
  return element;
}
