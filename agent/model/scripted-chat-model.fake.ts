/**
 * A chat model that answers from a script, for tests and the overhead benchmark: each call takes the next message
 * (or calls a function of the input). `bindTools` returns the same instance so tool-bound copies share the script
 * (FakeListChatModel never emits tool calls; see ../shared/docs/library-notes.md §1.2).
 */
import { BaseChatModel, type BaseChatModelParams } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";

export type ScriptStep = AIMessage | Error | ((messages: BaseMessage[]) => AIMessage);

export class ScriptedChatModel extends BaseChatModel {
  calls: BaseMessage[][] = [];
  private readonly script: ScriptStep[];
  private readonly repeatLast: boolean;

  constructor(script: ScriptStep[], opts: { repeatLast?: boolean } & BaseChatModelParams = {}) {
    super(opts);
    this.script = [...script];
    this.repeatLast = opts.repeatLast ?? false;
  }

  _llmType(): string {
    return "scripted";
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.calls.push(messages);
    const step = this.repeatLast && this.script.length === 1 ? this.script[0] : this.script.shift();
    if (!step) throw new Error("ScriptedChatModel: script exhausted");
    if (step instanceof Error) throw step;
    const message = typeof step === "function" ? step(messages) : step;
    return { generations: [{ message, text: typeof message.content === "string" ? message.content : "" }] };
  }

  // biome-ignore lint/suspicious/noExplicitAny: BaseChatModel.bindTools' return type is a Runnable of the subclass
  override bindTools(): any {
    return this;
  }
}

/** An AI message that calls one tool. */
export function toolCall(name: string, args: Record<string, unknown>, id = `call_${name}`): AIMessage {
  return new AIMessage({ content: "", tool_calls: [{ id, name, args, type: "tool_call" }] });
}
