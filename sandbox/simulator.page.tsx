/**
 * The customer simulator page: a phone-like chat where a person types as a customer and sees the business's
 * replies arrive. Server-rendered with hono/jsx; the behaviour is one inline script (simulator-script.ts) and the
 * look one inline style sheet (simulator-style.ts), both allowed by a per-response CSP nonce. No build step, no
 * external assets.
 */
import { SIMULATOR_SCRIPT } from "./simulator-script.ts";
import { SIMULATOR_STYLE } from "./simulator-style.ts";

export type DemoCustomer = { name: string; from: string };

/** Preset customers in the selector; the last one has only a business-scoped user id (a username user). */
export const DEMO_CUSTOMERS: DemoCustomer[] = [
  { name: "Ana García", from: "34600000001" },
  { name: "Sheena Nelson", from: "16505551234" },
  { name: "Kenji Watanabe", from: "819012345678" },
  { name: "Riley (username, no phone)", from: "US.13491208655302741918" },
];

export type SimulatorPageProps = {
  /** Where the simulator is mounted, e.g. `/simulator`; the script calls `<basePath>/api/...`. */
  basePath: string;
  nonce: string;
  phoneNumberId: string;
  readmeUrl?: string | undefined;
  customers?: DemoCustomer[];
};

/** Renders the whole HTML document. */
export function renderSimulatorPage(props: SimulatorPageProps): string {
  return `<!doctype html>${(<SimulatorPage {...props} />).toString()}`;
}

function SimulatorPage(props: SimulatorPageProps) {
  const customers = props.customers ?? DEMO_CUSTOMERS;
  // JSON inside <script>: escape "<" so no value can close the element.
  const presets = JSON.stringify(customers).replace(/</g, "\\u003c");
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Customer simulator · Switchboard sandbox</title>
        <style nonce={props.nonce} dangerouslySetInnerHTML={{ __html: SIMULATOR_STYLE }} />
      </head>
      <body>
        <main id="sim" class="layout" data-base={props.basePath}>
          <section class="panel" aria-labelledby="setup-title">
            <h1 id="setup-title">Customer simulator</h1>
            <p>
              Write to the business as one of its customers. Your messages go through the real webhook; the business's replies appear on the
              phone, with ticks as they are sent, delivered and read.
            </p>
            <label for="customer">Customer</label>
            <select id="customer" name="customer">
              {customers.map((c, i) => (
                <option value={String(i)}>{`${c.name} (${c.from})`}</option>
              ))}
              <option value="custom">Custom…</option>
            </select>
            <fieldset id="custom-fields" hidden>
              <legend>Custom customer</legend>
              <label for="custom-name">Name</label>
              <input id="custom-name" name="custom-name" maxlength={100} autocomplete="off" />
              <label for="custom-number">Phone number or business-scoped user id</label>
              <input id="custom-number" name="custom-number" inputmode="tel" maxlength={140} autocomplete="off" placeholder="34600000009" />
            </fieldset>
            <p class="hint">
              Business number id <code>{props.phoneNumberId}</code>. Buttons and list rows in the business's messages can be tapped.
            </p>
          </section>
          <section class="phone" aria-labelledby="chat-title">
            <header class="phone-header">
              <h2 id="chat-title">Business</h2>
              <span id="typing" class="typing" hidden>
                typing…
              </span>
            </header>
            <ol id="log" class="log" role="log" aria-live="polite" aria-label="Conversation" />
            <p id="error" class="error" role="alert" />
            <form id="composer" class="composer">
              <label for="text" class="visually-hidden">
                Message
              </label>
              <input id="text" name="text" maxlength={4096} autocomplete="off" placeholder="Type a message" required />
              <button type="submit">Send</button>
            </form>
          </section>
        </main>
        <footer class="footer">
          This is a local sandbox; nothing is sent to WhatsApp.{" "}
          {props.readmeUrl ? <a href={props.readmeUrl}>Read the README</a> : <span>See README.md in the project folder.</span>}
        </footer>
        <script type="application/json" id="presets" dangerouslySetInnerHTML={{ __html: presets }} />
        <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: SIMULATOR_SCRIPT }} />
      </body>
    </html>
  );
}
