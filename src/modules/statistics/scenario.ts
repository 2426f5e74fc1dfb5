import { type StatsApp } from './testing.js';

/**
 * The hand-made month of Tân An's one-stop desk the statistics tests count (every dossier through the
 * real API; clock in Hà Nội time). Letters are the dossiers; what each one is for March 2026:
 *
 *  before March: D refused 25/02 (out) · B done and returned 27/02 (out) · A, C, E received 26–27/02
 *    A carried over, done 04/03 (due 05/03: early), returned 05/03 (counts when done)
 *    C carried over, still in process (due 06/03: overdue) · E carried over, withdrawn 03/03
 *  F received Sunday 01/03 00:30 (28/02 in UTC!), same-day birth due Monday 02/03, done 02/03 16:00: on time
 *  G received 10/03, due 10/03 17:00, done 10/03 18:30: on time (dates compared, not hours)
 *  H received 10/03, done 11/03 08:00: late
 *  I online, accepted 11/03 (due 11/03), still in process: overdue
 *  J online, refused by the desk before acceptance: not received, "not accepted"
 *  K by post (copy of an extract), done the same day: on time
 *  L refused after reception · M stopped · N supplement requested 16/03, still waiting (paused: not overdue)
 *  O due 24/03, apology on 23/03 with a new date 27/03, done 25/03: late (the apology excuses nothing)
 *  U due 25/03, done 19/03: early
 *  R received 31/03 16:00 (after the 15:00 cut-off: due 01/04), done 01/04 00:30: in process at the end of March
 *  P received 31/03 23:30: in March · Q received 01/04 00:10 (31/03 in UTC): not in March
 *  S Phú Lộc's, received 10/03, in process (overdue) — outside Tân An's figures
 */
export type Scenario = Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'N' | 'O' | 'P' | 'Q' | 'R' | 'S' | 'U', string>;

export async function buildScenario(h: StatsApp): Promise<Scenario> {
  const s = {} as Scenario;
  const desk = 'motcua.xa';
  const specialist = async () => ({ toUserId: await h.t.userId('chuyenvien.xa') });
  await h.official('motcua.xa2', 'Lê Thị Phương', '000.02.31.H99', 'onestop_officer');

  h.at('2026-02-25T09:00');
  s.D = await h.receive(desk, 'birth', 'th1');
  h.at('2026-02-25T10:00');
  await h.act(desk, s.D, 'refuse', { reason: 'Giấy chứng sinh không hợp lệ' });
  h.at('2026-02-26T09:00');
  s.A = await h.receive(desk, 'marriage', 'th2');
  h.at('2026-02-26T09:30');
  await h.act(desk, s.A, 'forward', await specialist());
  h.at('2026-02-26T10:00');
  s.E = await h.receive(desk, 'marriage', 'th2');
  h.at('2026-02-27T08:00');
  s.B = await h.receive(desk, 'birth', 'th1');
  h.at('2026-02-27T09:00');
  s.C = await h.receive(desk, 'marriage', 'th2');
  await h.act(desk, s.C, 'forward', await specialist());
  h.at('2026-02-27T09:30');
  await h.act('chuyenvien.xa', s.A, 'forward', {});
  h.at('2026-02-27T10:00');
  await h.toApproval(s.B);
  h.at('2026-02-27T11:00');
  await h.complete(s.B);
  await h.act(desk, s.B, 'return', { method: 'counter' });

  h.at('2026-03-01T00:30');
  s.F = await h.receive(desk, 'birth', 'th1');
  h.at('2026-03-02T08:00');
  await h.toApproval(s.F);
  h.at('2026-03-02T09:00');
  await h.act('lanhdao.xa', s.A, 'approve', {});
  h.at('2026-03-02T16:00');
  await h.complete(s.F);
  h.at('2026-03-03T09:00');
  await h.act(desk, s.E, 'withdraw', { reason: 'Công dân xin rút hồ sơ' });
  h.at('2026-03-04T10:00');
  await h.complete(s.A);
  h.at('2026-03-05T08:00');
  await h.act(desk, s.A, 'return', { method: 'counter' });

  h.at('2026-03-10T09:00');
  s.G = await h.receive(desk, 'birth', 'th1');
  h.at('2026-03-10T09:15');
  s.S = await h.receive('motcua.xa2', 'birth', 'th1');
  h.at('2026-03-10T09:30');
  s.H = await h.receive(desk, 'birth', 'th1');
  h.at('2026-03-10T10:00');
  await h.toApproval(s.G);
  await h.toApproval(s.H);
  h.at('2026-03-10T18:30');
  await h.complete(s.G);
  h.at('2026-03-11T08:00');
  await h.complete(s.H);
  await h.act(desk, s.G, 'return', { method: 'counter' });
  h.at('2026-03-11T08:30');
  s.I = await h.submitOnline();
  h.at('2026-03-11T09:00');
  await h.act(desk, s.I, 'accept', {});
  h.at('2026-03-12T08:00');
  s.J = await h.submitOnline();
  h.at('2026-03-12T09:00');
  await h.act(desk, s.J, 'refuse', { reason: 'Giấy chứng sinh tải lên không đọc được' });
  h.at('2026-03-12T10:00');
  s.K = await h.receive(desk, 'extract', 'th1', 'post');
  await h.toApproval(s.K);
  h.at('2026-03-12T15:00');
  await h.complete(s.K);
  h.at('2026-03-13T09:00');
  s.L = await h.receive(desk, 'birth', 'th1');
  h.at('2026-03-13T10:00');
  await h.act(desk, s.L, 'refuse', { reason: 'Không thuộc thẩm quyền giải quyết của xã' });
  h.at('2026-03-16T09:00');
  s.M = await h.receive(desk, 'marriage', 'th2');
  await h.act(desk, s.M, 'forward', await specialist());
  h.at('2026-03-16T10:00');
  s.N = await h.receive(desk, 'marriage', 'th2');
  h.at('2026-03-16T11:00');
  await h.act(desk, s.N, 'request-supplement', { reason: 'Thiếu giấy xác nhận tình trạng hôn nhân', items: ['Giấy xác nhận tình trạng hôn nhân'] });
  h.at('2026-03-17T09:00');
  await h.act('lanhdao.xa', s.M, 'stop', { reason: 'Người yêu cầu không đủ điều kiện kết hôn' });
  s.O = await h.receive(desk, 'marriage', 'th2');
  h.at('2026-03-17T09:30');
  await h.act(desk, s.O, 'forward', await specialist());
  h.at('2026-03-18T09:00');
  s.U = await h.receive(desk, 'marriage', 'th2');
  await h.toApproval(s.U);
  h.at('2026-03-19T10:00');
  await h.complete(s.U);
  h.at('2026-03-23T10:00');
  await h.act('chuyenvien.xa', s.O, 'apologize', { reason: 'Chờ kết quả xác minh nơi cư trú', newDueAt: new Date('2026-03-27T17:00:00+07:00').toISOString() });
  h.at('2026-03-25T09:00');
  await h.act('chuyenvien.xa', s.O, 'forward', {});
  await h.act('lanhdao.xa', s.O, 'approve', {});
  h.at('2026-03-25T10:00');
  await h.complete(s.O);
  h.at('2026-03-31T16:00');
  s.R = await h.receive(desk, 'birth', 'th1');
  await h.toApproval(s.R);
  h.at('2026-03-31T23:30');
  s.P = await h.receive(desk, 'birth', 'th1');
  h.at('2026-04-01T00:10');
  s.Q = await h.receive(desk, 'birth', 'th1');
  h.at('2026-04-01T00:30');
  await h.complete(s.R);
  h.at('2026-04-15T09:00');
  return s;
}
