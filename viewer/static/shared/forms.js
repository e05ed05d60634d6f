// Small forms for the office console: labelled fields, a submit button that shows it is busy, the server's
// refusal under the form.

import { h, setBusy } from './dom.js';

let counter = 0;

export function field(label, input) {
  counter += 1;
  input.id ||= `field-${counter}`;
  if (input.type === 'checkbox') {
    return h('label', { class: 'field-check', for: input.id }, input, h('span', { text: label }));
  }
  return h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input);
}

export function select(name, options, value) {
  return h(
    'select',
    { name },
    options.map(([optionValue, text]) => h('option', { value: optionValue, text, selected: String(optionValue) === String(value) })),
  );
}

// `submit(form)` returns a promise; a rejection's message is shown, success resets the form.
export function form({ className = '', fields, submitText, submit, testid }) {
  const error = h('p', { class: 'form-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'button button-primary', text: submitText });
  const element = h('form', { class: ['setup-form', className], novalidate: true, 'data-testid': testid || false }, fields, h('div', { class: 'form-actions' }, button), error);
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    setBusy(button, true);
    try {
      await submit(element);
      element.reset();
    } catch (failure) {
      error.textContent = failure.message;
    } finally {
      setBusy(button, false);
    }
  });
  return element;
}

export function value(formElement, name) {
  return formElement.elements.namedItem(name)?.value ?? '';
}
