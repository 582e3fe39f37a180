// The seeds' gateway stack as a yardstick: Express with node-postgres, serving the endpoints that
// bench/references.py compares from the same PostgreSQL rows as Agora's services; or, with
// AGORA_REF_PROXY set, an http-proxy in front of that upstream (the gateway hop).
// Not part of Agora: bench/references.py installs its packages into a throwaway directory.
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const http = require("node:http");
const express = require("express");

const port = Number(process.env.AGORA_REF_PORT);

if (process.env.AGORA_REF_PROXY) {
  const httpProxy = require("http-proxy");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const proxy = httpProxy.createProxyServer({ target: process.env.AGORA_REF_PROXY, agent });
  proxy.on("error", (_err, _req, res) => {
    res.writeHead(502, { "content-type": "application/json" });
    res.end('{"status":"error","code":"bad_gateway","message":"Upstream unavailable"}');
  });
  const app = express();
  // The gateway's public prefix: /api/users/profile/1 goes to /users/profile/1 upstream.
  app.use("/api", (req, res) => proxy.web(req, res));
  app.listen(port, "127.0.0.1");
  return;
}

const { Pool } = require("pg");
const poolSize = Number(process.env.AGORA_REF_POOL || "4");
const pool = (name) =>
  new Pool({ connectionString: process.env[`AGORA_REF_DSN_${name}`], max: poolSize });
const usersDb = pool("USERS");
const votingDb = pool("VOTING");
const timelineDb = pool("TIMELINE");
const publicKey = crypto.createPublicKey(fs.readFileSync(process.env.AGORA_REF_PUBLIC_KEY));

function error(res, status, code, message) {
  res.status(status).json({ status: "error", code, message });
}

// An EdDSA access token's user id, checked as Agora checks it (signature, iss, aud, exp, typ).
function userId(req) {
  const header = req.get("authorization") || "";
  if (!header.startsWith("Bearer ")) return null;
  const parts = header.slice(7).split(".");
  if (parts.length !== 3) return null;
  try {
    const head = JSON.parse(Buffer.from(parts[0], "base64url"));
    if (head.alg !== "EdDSA") return null;
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!crypto.verify(null, signed, publicKey, Buffer.from(parts[2], "base64url"))) return null;
    const claims = JSON.parse(Buffer.from(parts[1], "base64url"));
    const now = Date.now() / 1000;
    if (claims.iss !== "agora-users" || claims.aud !== "agora" || claims.typ !== "access") return null;
    if (!(claims.exp > now)) return null;
    return Number(claims.sub);
  } catch {
    return null;
  }
}

const app = express();
app.use(express.json());

app.get("/status", (_req, res) => res.json({ status: "running" }));

app.get("/users/profile/:id", async (req, res) => {
  const id = req.params.id;
  if (!/^[0-9]{1,18}$/.test(id)) return error(res, 404, "user_not_found", `No user with id ${id}`);
  const { rows } = await usersDb.query(
    "SELECT id, username, profile_picture, bio, role, created_at," +
      " (SELECT count(*) FROM follows WHERE followee_id = users.id)::int AS followers," +
      " (SELECT count(*) FROM follows WHERE follower_id = users.id)::int AS followings" +
      " FROM users WHERE id = $1 AND deactivated_at IS NULL",
    [id],
  );
  if (rows.length === 0) return error(res, 404, "user_not_found", `No user with id ${id}`);
  const r = rows[0];
  res.json({
    user_id: String(r.id),
    userId: String(r.id),
    username: r.username,
    profile_picture: r.profile_picture,
    bio: r.bio,
    role: r.role,
    created_at: r.created_at,
    followers_count: r.followers,
    followings_count: r.followings,
  });
});

app.get("/books", async (_req, res) => {
  const polls = await votingDb.query(
    "SELECT id::int AS id, month, closes_at FROM polls WHERE status = 'open'",
  );
  if (polls.rows.length === 0) return error(res, 404, "no_open_poll", "No poll is open");
  const poll = polls.rows[0];
  const { rows } = await votingDb.query(
    "SELECT b.id::int AS id, b.title, b.author, b.description, count(v.id)::int AS votes" +
      " FROM books b JOIN candidates c ON c.book_id = b.id" +
      " LEFT JOIN votes v ON v.poll_id = c.poll_id AND v.book_id = c.book_id" +
      " WHERE c.poll_id = $1 GROUP BY b.id, c.added_at ORDER BY c.added_at, b.id",
    [poll.id],
  );
  res.json({
    books: rows,
    poll_id: poll.id,
    month: poll.month,
    closes_at: poll.closes_at,
    total_votes: rows.reduce((sum, r) => sum + r.votes, 0),
  });
});

app.post("/vote", async (req, res) => {
  const me = userId(req);
  if (me === null) return error(res, 401, "invalid_token", "Invalid token");
  const bookId = req.body && req.body.book_id;
  if (!Number.isInteger(bookId)) {
    return error(res, 422, "validation_failed", "book_id must be an integer");
  }
  const client = await votingDb.connect();
  try {
    await client.query("BEGIN");
    const claim = await client.query(
      "UPDATE polls SET vote_seq = vote_seq + 1 WHERE status = 'open' AND closes_at > now()" +
        " RETURNING id::int AS id, vote_seq::int AS seq",
    );
    if (claim.rows.length === 0) {
      await client.query("ROLLBACK");
      return error(res, 409, "poll_closed", "Voting is closed");
    }
    const { id: pollId, seq } = claim.rows[0];
    const target = await client.query(
      "SELECT b.title, c.book_id AS candidate, v.book_id::int AS previous FROM books b" +
        " LEFT JOIN candidates c ON c.book_id = b.id AND c.poll_id = $1" +
        " LEFT JOIN votes v ON v.poll_id = $1 AND v.user_id = $2 WHERE b.id = $3",
      [pollId, me, bookId],
    );
    if (target.rows.length === 0 || target.rows[0].candidate === null) {
      await client.query("ROLLBACK");
      return error(res, 404, "book_not_found", `No book with id ${bookId}`);
    }
    const { title, previous } = target.rows[0];
    if (previous !== bookId) {
      await client.query(
        "INSERT INTO votes (poll_id, user_id, book_id, voted_at, seq)" +
          " VALUES ($1, $2, $3, now(), $4) ON CONFLICT (poll_id, user_id) DO UPDATE" +
          " SET book_id = excluded.book_id, voted_at = excluded.voted_at, seq = excluded.seq",
        [pollId, me, bookId, seq],
      );
    }
    const counts = await client.query(
      "SELECT count(CASE WHEN book_id = $1 THEN 1 END)::int AS votes, count(*)::int AS total" +
        " FROM votes WHERE poll_id = $2",
      [bookId, pollId],
    );
    await client.query("COMMIT");
    const kind = previous === bookId ? "unchanged" : previous === null ? "created" : "moved";
    res.json({
      message: `Vote recorded for ${title}`,
      votes: counts.rows[0].votes,
      book_id: bookId,
      poll_id: pollId,
      outcome: kind,
      previous_book_id: kind === "moved" ? previous : null,
      total_votes: counts.rows[0].total,
      seq,
    });
  } catch (err) {
    await client.query("ROLLBACK");
    throw err;
  } finally {
    client.release();
  }
});

app.get("/tweets/homeTimeline/:id", async (req, res) => {
  const me = userId(req);
  if (me === null) return error(res, 401, "invalid_token", "Invalid token");
  if (me !== Number(req.params.id)) {
    return error(res, 403, "not_your_timeline", "A home timeline is visible to its owner only");
  }
  const limit = Math.min(Number(req.query.limit || 50), 100);
  const { rows } = await timelineDb.query(
    "SELECT id, user_id, username, content, created_at FROM tweets" +
      " WHERE user_id = $1 OR user_id IN" +
      " (SELECT followee_id FROM follows WHERE follower_id = $1 AND active)" +
      " ORDER BY id DESC LIMIT $2",
    [me, limit + 1],
  );
  const page = rows.slice(0, limit);
  res.json({
    tweets: page.map((r) => ({
      tweetId: String(r.id),
      userId: String(r.user_id),
      username: r.username,
      content: r.content,
      timestamp: r.created_at,
    })),
    next_cursor: rows.length > limit ? String(page[page.length - 1].id) : null,
  });
});

app.listen(port, "127.0.0.1");
