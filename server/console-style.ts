/** The console's style sheet, inlined (no external assets): three columns on a laptop screen. */
export const CONSOLE_STYLE = `
*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#1d2327;background:#f3f4f6}
button,input,select,textarea{font:inherit}button{cursor:pointer;border:1px solid #8c8f94;background:#fff;border-radius:4px;padding:4px 10px}
button.primary{background:#0a7c55;color:#fff;border-color:#0a7c55}:focus-visible{outline:3px solid #2271b1;outline-offset:1px}
.login{max-width:360px;margin:10vh auto;background:#fff;padding:24px;border-radius:8px}.login input{width:100%;margin:6px 0 12px;padding:6px}
.error{color:#b32d2e}.console{display:grid;grid-template-columns:280px 1fr 300px;grid-template-rows:auto 1fr;height:100vh}
.bar{grid-column:1/-1;display:flex;gap:16px;align-items:center;padding:8px 12px;background:#1d2327;color:#fff}.bar a{color:#fff}.bar button{margin-left:auto}
.live{font-size:12px;opacity:.8}.lists{overflow:auto;padding:8px;border-right:1px solid #dcdcde;background:#fff}
.lists h2{font-size:13px;text-transform:uppercase;color:#50575e;margin:12px 0 4px}.list{list-style:none;margin:0;padding:0}
.list button{display:block;width:100%;text-align:left;margin:2px 0;padding:6px}.list button[aria-current=true]{border-color:#2271b1;background:#e7f0f7}
.late{color:#b32d2e;font-weight:600}.meta{display:block;font-size:12px;color:#50575e}
.conversation{overflow:auto;padding:12px;display:flex;flex-direction:column;gap:8px}.side{overflow:auto;padding:12px;border-left:1px solid #dcdcde;background:#fff}
.summary{background:#fff8e5;border:1px solid #dba617;border-radius:6px;padding:8px}.transcript{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:4px}
.msg{max-width:75%;padding:6px 10px;border-radius:8px;background:#fff}.msg.customer{align-self:flex-start}.msg.human{align-self:flex-end;background:#d7f5e5}
.msg.bot{align-self:flex-end;background:#e7f0f7}.msg.system{align-self:center;background:#eee}.msg.note{align-self:center;background:#fcf0f1;border:1px dashed #b32d2e}
.who{font-size:11px;color:#50575e;display:block}.actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
textarea{width:100%;min-height:60px}.window{font-size:12px}.closed{color:#b32d2e}.toast{position:fixed;bottom:8px;left:50%;transform:translateX(-50%);margin:0;background:#1d2327;color:#fff;border-radius:4px;padding:0 8px}.toast:empty{display:none}
`;
