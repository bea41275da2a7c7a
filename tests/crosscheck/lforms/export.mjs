// Loads intyg's Questionnaire and the example's QuestionnaireResponse into LHC-Forms in headless
// Chromium, changes the form the way a doctor could (one variant each), and writes the response
// LHC-Forms exports to responses/<variant>.json. Run by run.sh (which serves this folder).
import puppeteer from 'puppeteer-core';
import fs from 'node:fs';

const Q = JSON.parse(fs.readFileSync('questionnaire.json', 'utf8'));
const QR = JSON.parse(fs.readFileSync('example-qr.json', 'utf8'));
const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();
await page.setViewport({width: 1000, height: 900});
await page.goto('http://127.0.0.1:8765/index.html', {waitUntil: 'networkidle0'});
await page.waitForFunction(() => window.LForms && LForms.Util && LForms.Util.addFormToPage);

const sleep = ms => new Promise(r => setTimeout(r, ms));
const sel = id => `[id="${id}"]`;
async function load() {
  await page.evaluate(async (q, qr) => {
    document.getElementById('formContainer').innerHTML = '';
    await LForms.Util.addFormToPage(q, 'formContainer', {questionnaireResponse: qr});
  }, Q, QR);
  await sleep(500);
}
async function radio(id, v) { await page.click(sel(`${id}|${v}`)); await sleep(200); }
async function selectAll() {
  await page.keyboard.down('Control'); await page.keyboard.press('a'); await page.keyboard.up('Control');
}
async function clear(id) {
  await page.click(sel(id)); await selectAll(); await page.keyboard.press('Backspace');
  await page.keyboard.press('Tab'); await sleep(200);
}
async function text(id, s) {
  await page.click(sel(id)); await selectAll(); await page.keyboard.type(s);
  await page.keyboard.press('Tab'); await sleep(300);
}
async function choose(id, s) {
  await page.click(sel(id)); await sleep(300);
  for (const li of await page.$$('#lhc-tools-searchResults li')) {
    if ((await li.evaluate(e => e.textContent)).includes(s)) {
      await li.click(); await sleep(300); await page.keyboard.press('Tab'); await sleep(200); return;
    }
  }
  throw new Error('no option ' + s);
}
async function variant(name, change) {
  await load();
  await change();
  const qr = await page.evaluate(() => LForms.Util.getFormFHIRData(
    'QuestionnaireResponse', 'R4', document.querySelector('#formContainer lhc-forms')));
  fs.writeFileSync(`responses/${name}.json`, JSON.stringify(qr, null, 2) + '\n');
}

await variant('unchanged', async () => {});
await variant('bad-values', async () => {
  await text('ersatter/1', 'inte-ett-uuid');
  await text('patient.personid/1/1', '19121212-121X');
  await text('sysselsattning.timmar_per_vecka/1/1', '41');
  await text('diagnoser.kod/1/1', 'f32.1');
});
await variant('long-name', async () => { await text('patient.namn/1/1', 'A'.repeat(210)); });
await variant('fourth-diagnosis', async () => {
  for (let n = 3; n <= 4; n++) {
    await page.click('[id^="add-diagnoser/"]'); await sleep(300);
    await text(`diagnoser.kod/${n}/1`, n === 3 ? 'F43.2' : 'G47.0');
    await text(`diagnoser.text/${n}/1`, 'Extra diagnos');
  }
});
await variant('ingen-plus-other', async () => {
  await choose('sysselsattning.typ/1/1', 'Ingen sysselsättning');
});
await variant('annan-anpassning-no-text', async () => {
  await choose('bedomning.anpassningar/1/1', 'Annan anpassning');
  await clear('bedomning.anpassningar_beskrivning/1/1');
});
await variant('forhindrad-no', async () => { await radio('bedomning.forhindrad/1/1', 'false'); });
await variant('kan-forvarras-not-answered', async () => {
  await radio('behandling.kan_forvarras/1/1', 'null');
});
await variant('annat-underlag-empty-description', async () => {
  await choose('grund.underlag.typ/1/2/1', 'Annat');
});
await browser.close();
