// Figures for the standing committee: petitions by field, agency, level, status and term, with answered and
// overdue, as charts (Chart.js from npm, as an ES module) with the same numbers in tables beside them, and as XLSX.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
} from '/vendor/chart.js/chart.js';
import { api } from '../shared/api.js';
import { h } from '../shared/dom.js';
import { formatNumber, labelFor, t } from '../shared/i18n.js';
import { table } from './petition-common.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
Chart.defaults.font.size = 14;
Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

const COLORS = { total: '#0b4a86', answered: '#1b6535', overdue: '#a4201a' };

function name(dimension, key) {
  if (!key) return t('pet.unknown');
  if (dimension === 'by_status') return labelFor('pet.status', key);
  if (dimension === 'by_level') return labelFor('pet.level', key);
  return key;
}

function chart(dimension, rows) {
  const canvas = h('canvas', { role: 'img', 'aria-label': t(`pet.stats.${dimension}`) });
  const labels = rows.map((r) => name(dimension, r.key));
  // The canvas is drawn once it is in the page, so that Chart.js can measure it.
  requestAnimationFrame(
    () =>
      new Chart(canvas, {
        type: 'bar',
        data: {
          labels,
          datasets: ['total', 'answered', 'overdue'].map((measure) => ({
            label: t(`pet.measure.${measure}`),
            data: rows.map((r) => r[measure]),
            backgroundColor: COLORS[measure],
          })),
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          indexAxis: rows.length > 5 ? 'y' : 'x',
          plugins: { legend: { labels: { color: '#17212b' } } },
          scales: { x: { ticks: { color: '#17212b', precision: 0 } }, y: { ticks: { color: '#17212b', precision: 0 } } },
        },
      }),
  );
  return h('div', { class: 'chart-box', style: `height: ${Math.max(220, rows.length * 34 + 80)}px` }, canvas);
}

function block(dimension, rows) {
  return h(
    'section',
    { class: 'stats-block', 'aria-labelledby': `stats-${dimension}`, 'data-testid': `stats-${dimension}` },
    h('h3', { id: `stats-${dimension}`, text: t(`pet.stats.${dimension}`) }),
    rows.length ? chart(dimension, rows) : null,
    table({
      label: t(`pet.stats.${dimension}`),
      columns: ['', t('pet.measure.total'), t('pet.measure.answered'), t('pet.measure.overdue')],
      rows: rows.map((r) => [name(dimension, r.key), formatNumber(r.total), formatNumber(r.answered), formatNumber(r.overdue)]),
    }),
  );
}

export async function statsView(council) {
  const figures = await api.get(`/api/councils/${council.id}/petitions/stats`);
  return h(
    'section',
    { class: 'panel stats', 'aria-labelledby': 'stats-heading', 'data-testid': 'petition-stats' },
    h(
      'div',
      { class: 'section-head' },
      h('h2', { id: 'stats-heading', text: t('pet.statsHeading') }),
      h('a', { class: 'button button-quiet', href: `/api/councils/${council.id}/petitions/stats.xlsx`, download: '', text: t('pet.exportStats') }),
    ),
    h(
      'p',
      { class: 'stats-totals' },
      h('span', { text: t('pet.measure.total') + ': ' }, h('strong', { text: formatNumber(figures.total) })),
      h('span', { text: t('pet.measure.answered') + ': ' }, h('strong', { text: formatNumber(figures.answered) })),
      h('span', { text: t('pet.measure.overdue') + ': ' }, h('strong', { text: formatNumber(figures.overdue) })),
    ),
    h('div', { class: 'stats-grid' }, ['by_field', 'by_agency', 'by_status', 'by_level', 'by_term'].map((d) => block(d, figures[d]))),
  );
}
