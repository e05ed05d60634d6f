// A session's documents as staff prepare them: each with what it is (kind, agenda item, file, version, size) beside
// its title, a preview of its pages, replacing its file with a new version, and withdrawing it before the session
// opens; and the upload form, which asks for the file before the state-secret confirmation.

import { api } from '../shared/api.js';
import { askToConfirm } from '../shared/confirm.js';
import { h, replace } from '../shared/dom.js';
import { field, form, select } from '../shared/forms.js';
import { formatNumber, getLanguage, labelFor, t } from '../shared/i18n.js';
import { PageViewer } from '../shared/pages.js';

const CLASSIFICATIONS = ['public', 'internal', 'restricted'];
const KINDS = ['submission', 'report', 'review_report', 'draft_resolution', 'other'];
const PREPARING = ['draft', 'scheduled'];

function fileSize(bytes) {
  if (bytes < 1024 * 1024) return `${formatNumber(Math.ceil(bytes / 1024))} KB`;
  return `${formatNumber(bytes / (1024 * 1024), { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`;
}

// The document's description: what it is, never its title again.
function description(doc, items) {
  const item = items.find((i) => i.id === doc.agenda_item_id);
  return [
    labelFor('doc.kind', doc.kind),
    item ? t('doc.ofItem', { position: formatNumber(item.position) }) : t('setup.noItem'),
    doc.file_name,
    t('doc.version', { version: formatNumber(doc.version) }),
    fileSize(doc.size_bytes),
  ].join(' · ');
}

// The document's pages in a dialog, as delegates will see them.
function preview(doc) {
  const viewer = new PageViewer();
  const close = h('button', { type: 'button', class: 'button button-primary', text: t('pairing.close') });
  const dialog = h(
    'dialog',
    { class: 'panel preview', 'aria-labelledby': 'preview-title', 'data-testid': 'preview' },
    h('h2', { id: 'preview-title', text: t('doc.previewTitle', { title: doc.title }) }),
    viewer.root,
    h('div', { class: 'form-actions' }, close),
  );
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  viewer.show({ document_id: doc.id, title: doc.title, page_count: doc.page_count }, 1);
  dialog.showModal();
  close.focus({ preventScroll: true });
}

function fileFirst(element) {
  const file = element.elements.namedItem('file').files[0];
  if (!file) throw new Error(t('setup.chooseFile'));
  if (!element.elements.namedItem('not_state_secret').checked) throw new Error(t('setup.confirmNotSecret'));
}

function replaceForm(doc, reload) {
  return h(
    'details',
    { class: 'setup-add' },
    h('summary', { text: t('doc.replace') }),
    form({
      testid: 'replace',
      fields: [
        field(t('setup.file'), h('input', { name: 'file', type: 'file', accept: 'application/pdf' })),
        field(t('setup.notSecret'), h('input', { name: 'not_state_secret', type: 'checkbox', value: 'true' })),
      ],
      submitText: t('doc.replaceButton'),
      submit: async (element) => {
        fileFirst(element);
        await api.upload(`/api/documents/${doc.id}/versions`, new FormData(element));
        await reload();
      },
    }),
  );
}

function withdrawButton(doc, reload) {
  return h('button', {
    type: 'button',
    class: 'button button-quiet',
    'data-testid': 'doc-delete',
    text: t('doc.delete'),
    'aria-label': t('doc.deleteTitle', { title: doc.title }),
    on: {
      click: async () => {
        const sure = await askToConfirm({
          title: t('doc.deleteConfirmTitle'),
          describe: () => [h('p', { text: t('doc.deleteConfirmText', { title: doc.title }) })],
          confirmText: t('doc.delete'),
        });
        if (!sure) return;
        await api.delete(`/api/documents/${doc.id}`);
        await reload();
      },
    },
  });
}

function documentRow(doc, { items, preparing, reload }) {
  return h(
    'li',
    { class: 'setup-document', 'data-testid': 'setup-document' },
    h(
      'div',
      { class: 'setup-document-head' },
      h('span', { class: 'doc-choice-title', text: t('doc.choice', { title: doc.title, count: formatNumber(doc.page_count) }) }),
      h('span', { class: ['chip', `chip-${doc.classification}`], text: labelFor('doc.classification', doc.classification) }),
    ),
    h('p', { class: 'muted', 'data-testid': 'doc-description', text: description(doc, items) }),
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'button', class: 'button', 'data-testid': 'doc-preview', text: t('doc.preview'), 'aria-label': t('doc.previewTitle', { title: doc.title }), on: { click: () => preview(doc) } }),
      preparing ? withdrawButton(doc, reload) : null,
    ),
    replaceForm(doc, reload),
  );
}

export function documentsPanel({ session, documents, rules, reload }) {
  const items = session.agenda;
  const preparing = PREPARING.includes(session.status);
  const notice = getLanguage() === 'en' ? rules.state_secret_notice_en : rules.state_secret_notice_vi;
  const list = documents.length
    ? h('ul', { class: 'doc-choices', 'data-testid': 'setup-documents' }, documents.map((d) => documentRow(d, { items, preparing, reload })))
    : h('p', { class: 'empty', text: t('doc.none') });
  const upload = form({
    testid: 'upload',
    fields: [
      field(t('setup.file'), h('input', { name: 'file', type: 'file', accept: 'application/pdf' })),
      field(t('setup.docTitle'), h('input', { name: 'title', maxlength: '500' })),
      field(t('setup.docKind'), select('kind', KINDS.map((k) => [k, labelFor('doc.kind', k)]), 'other')),
      field(t('setup.classification'), select('classification', CLASSIFICATIONS.map((c) => [c, labelFor('doc.classification', c)]), 'internal')),
      field(t('setup.item'), select('agenda_item_id', [['', t('setup.noItem')], ...items.map((i) => [i.id, `${formatNumber(i.position)}. ${i.title}`])], '')),
      h('p', { class: 'notice notice-warn', text: notice }),
      field(t('setup.notSecret'), h('input', { name: 'not_state_secret', type: 'checkbox', value: 'true' })),
    ],
    submitText: t('setup.upload'),
    submit: async (element) => {
      fileFirst(element);
      await api.upload(`/api/sessions/${session.id}/documents`, new FormData(element));
      await reload();
    },
  });
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'documents-heading' },
    h('h2', { id: 'documents-heading', text: t('doc.heading') }),
    list,
    h('details', { class: 'setup-add' }, h('summary', { text: t('setup.addDocument') }), upload),
  );
}
