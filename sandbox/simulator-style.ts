/** The simulator's style sheet, inlined into the page (no external assets). Colours keep text at ≥ 4.5:1 contrast. */
export const SIMULATOR_STYLE = `
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; background: #f3f4f6; }
.layout { display: flex; flex-wrap: wrap; gap: 32px; justify-content: center; align-items: flex-start; padding: 24px 16px 8px; }
.panel { max-width: 340px; }
.panel h1 { font-size: 1.4rem; margin: 0 0 8px; }
.panel label, .panel legend { display: block; font-weight: 600; margin: 12px 0 4px; }
.panel select, .panel input { width: 100%; font: inherit; padding: 6px 8px; border: 1px solid #6b7280; border-radius: 6px; background: #fff; }
.panel fieldset { border: 1px solid #d1d5db; border-radius: 8px; margin: 12px 0 0; padding: 4px 12px 12px; }
.hint { color: #4b5563; font-size: 0.9rem; }
.phone { width: 380px; max-width: 100%; height: min(720px, calc(100vh - 80px)); min-height: 420px; display: flex; flex-direction: column;
  border: 10px solid #1f2937; border-radius: 32px; overflow: hidden; background: #efeae2; }
.phone-header { display: flex; align-items: baseline; gap: 10px; padding: 12px 16px; background: #075e54; color: #fff; }
.phone-header h2 { font-size: 1rem; margin: 0; }
.typing { font-size: 0.85rem; font-style: italic; }
.log { flex: 1; overflow-y: auto; list-style: none; margin: 0; padding: 12px; display: flex; flex-direction: column; gap: 6px; }
.empty { align-self: center; color: #4b5563; background: #fff8; padding: 6px 12px; border-radius: 8px; }
.msg { max-width: 85%; padding: 6px 10px 4px; border-radius: 10px; box-shadow: 0 1px 1px #0002; overflow-wrap: anywhere; }
.msg.in { align-self: flex-end; background: #d9fdd3; }
.msg.out { align-self: flex-start; background: #fff; }
.msg p { margin: 0 0 2px; white-space: pre-wrap; }
.msg .header { font-weight: 700; }
.msg .footer-text, .msg .label { color: #4b5563; font-size: 0.85rem; }
.msg ul { margin: 4px 0; padding-left: 18px; }
.meta { display: flex; justify-content: flex-end; gap: 4px; font-size: 0.75rem; color: #4b5563; }
.ticks.read { color: #0b6bcb; }
.ticks.failed { color: #b91c1c; font-weight: 600; }
.actions { display: flex; flex-direction: column; gap: 4px; margin-top: 6px; }
.actions button, .rows button { font: inherit; color: #0b5cad; background: #f7f9fa; border: 1px solid #cfd8dc; border-radius: 8px;
  padding: 6px 8px; cursor: pointer; text-align: center; }
.rows button { display: block; width: 100%; text-align: left; margin-top: 4px; }
.rows button small { display: block; color: #4b5563; }
.rows summary { cursor: pointer; color: #0b5cad; font-weight: 600; padding: 4px 0; }
.section-title { font-size: 0.8rem; text-transform: uppercase; color: #4b5563; margin: 6px 0 0; }
.error { margin: 0; padding: 0 12px; color: #b91c1c; background: #fff; font-size: 0.9rem; }
.error:empty { display: none; }
.composer { display: flex; gap: 8px; padding: 10px; background: #f0f2f5; }
.composer input { flex: 1; font: inherit; padding: 8px 12px; border: 1px solid #6b7280; border-radius: 20px; }
.composer button { font: inherit; padding: 8px 16px; border: 0; border-radius: 20px; background: #075e54; color: #fff; cursor: pointer; }
:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); border: 0; }
.footer { text-align: center; color: #4b5563; font-size: 0.85rem; padding: 8px 16px 16px; }
.footer a { color: #0b5cad; }
`;
