# The autonomous VTuber agent: `deno task start` in the official Deno image (pinned), with every
# npm dependency and every module (actors and tools are loaded at run time) cached at build time,
# running as the image's non-root `deno` user. Health is probed with deno itself (no curl).
FROM denoland/deno:2.9.6

# The image's cache directory; the start task grants read of PGlite's and the sentence
# encoder's packages in it.
ENV DENO_DIR=/deno-dir \
    PORT=8000 \
    DENO_NO_PROMPT=1 \
    DENO_NO_UPDATE_CHECK=1

WORKDIR /app
COPY deno.json deno.lock ./
RUN deno install --frozen

COPY . .
RUN deno cache --frozen main.ts core/worker_entry.ts core/subprocess_actor_entry.ts core/embedding/sentence_encoder_worker.ts actors/*.ts tools/*.ts \
 && mkdir -p data sessions learned_skills \
 && chown -R deno:deno /app/data /app/sessions /app/learned_skills /deno-dir

USER deno
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["deno", "eval", "const r = await fetch('http://127.0.0.1:' + (Deno.env.get('PORT') ?? '8000') + '/health'); Deno.exit(r.ok ? 0 : 1)"]

CMD ["deno", "task", "start"]
