/**
 * Loading the LoCoMo benchmark file (../shared/bench-data/locomo-dev, see its README): each
 * conversation's turns become memories (speaker name, session date and image caption included
 * in the text), each question of categories 1–4 a query with its evidence turn ids.
 */

/** One dialogue turn as a memory to store. */
export interface LocomoTurn {
  diaId: string;
  session: number;
  /** "Speaker: text [shares a photo: caption]" without the date: used as a neighbour's context. */
  plain: string;
  speaker: string;
  text: string;
  date: Date | undefined;
}

/** One question with the turn ids that answer it. */
export interface LocomoQuestion {
  question: string;
  category: number;
  evidence: string[];
}

/** One conversation of the file. */
export interface LocomoConversation {
  id: string;
  turns: LocomoTurn[];
  questions: LocomoQuestion[];
}

/** Parses "1:56 pm on 8 May, 2023" (LoCoMo's session date format). */
export function parseLocomoDate(s: string | undefined): Date | undefined {
  const m = s?.match(/(\d+):(\d+)\s*(am|pm)\s+on\s+(\d+)\s+(\w+),?\s+(\d{4})/i);
  if (!m) return undefined;
  const d = new Date(`${m[4]} ${m[5]} ${m[6]} UTC`);
  if (Number.isNaN(d.getTime())) return undefined;
  const hour = (Number(m[1]) % 12) + (m[3]!.toLowerCase() === "pm" ? 12 : 0);
  d.setUTCHours(hour, Number(m[2]));
  return d;
}

/** Reads and normalises the file; throws naming the file when its shape is wrong. */
export async function loadLocomo(path: string): Promise<LocomoConversation[]> {
  const raw = JSON.parse(await Deno.readTextFile(path)) as unknown;
  if (!Array.isArray(raw)) throw new Error(`${path}: expected a JSON array of conversations`);
  return raw.map((item, i) => {
    const conv = item?.conversation as Record<string, unknown> | undefined;
    if (!conv || !Array.isArray(item.qa)) {
      throw new Error(`${path}: item ${i} has no "conversation" or "qa"`);
    }
    const turns: LocomoTurn[] = [];
    for (const key of Object.keys(conv)) {
      const m = key.match(/^session_(\d+)$/);
      if (!m || !Array.isArray(conv[key])) continue;
      const dateText = conv[`session_${m[1]}_date_time`] as string | undefined;
      const date = parseLocomoDate(dateText);
      for (const t of conv[key] as Record<string, unknown>[]) {
        const caption = t.blip_caption ? ` [shares a photo: ${t.blip_caption}]` : "";
        const plain = `${t.speaker}: ${t.text}${caption}`;
        turns.push({
          diaId: String(t.dia_id),
          session: Number(m[1]),
          plain,
          speaker: String(t.speaker),
          text: `${plain}${dateText ? ` (${dateText})` : ""}`,
          date,
        });
      }
    }
    const questions = (item.qa as Record<string, unknown>[])
      .filter((q) => [1, 2, 3, 4].includes(Number(q.category)))
      .map((q) => ({
        question: String(q.question),
        category: Number(q.category),
        evidence: (q.evidence as string[] ?? []).flatMap((e) => e.split(";")).map((e) => e.trim())
          .filter(Boolean),
      }));
    return { id: String(item.sample_id ?? i), turns, questions };
  });
}

/** Up to `radius` turns before and after turn `i` in the same session, as its search context. */
export function neighbourContext(turns: LocomoTurn[], i: number, radius = 1): string {
  const t = turns[i]!;
  const out: string[] = [];
  for (let j = i - radius; j <= i + radius; j++) {
    const n = turns[j];
    if (j !== i && n && n.session === t.session) out.push(n.plain);
  }
  return out.join("\n");
}

/**
 * When turn `i` was said: its session's date plus one minute per earlier turn of the session
 * (LoCoMo dates sessions, not turns; a chat's messages have distinct times, in order).
 */
export function turnTime(turns: LocomoTurn[], i: number): Date | undefined {
  const t = turns[i]!;
  if (!t.date) return undefined;
  let k = 0;
  while (k < i && turns[i - k - 1]?.session === t.session) k++;
  return new Date(t.date.getTime() + k * 60_000);
}
