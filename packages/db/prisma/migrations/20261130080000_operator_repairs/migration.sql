-- The operator's repairs (issue 11), each one statement that locks, changes through the money paths that
-- already exist (requeue, operator fail), and writes its audit row in the same transaction: no repair
-- happens without the log saying who did it and why, and no audit row claims a repair that rolled back.
-- A payment that does not exist is not audited (there is nothing to name); every other answer is, refusals
-- included. Outcomes are domain words; the API maps them to answers.

-- Retry submission: a new outbox message for a pending or processing payment, unless the bank already holds
-- its order (its reference is stored): a resubmission would be folded into that order, so reconcile instead.
-- Outcomes: requeued | already_queued | already_final | bank_holds_order | not_found.
CREATE FUNCTION paygate_operator_retry(
  p_transaction_id bigint, p_operator_id bigint, p_reason text, p_request_id text
) RETURNS TABLE (outcome text, status text, audit_id bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_transaction transactions%ROWTYPE;
  v_outcome text;
  v_status text;
  v_audit_id bigint;
BEGIN
  SELECT * INTO v_transaction FROM transactions t WHERE t.id = p_transaction_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text, NULL::bigint;
    RETURN;
  END IF;
  IF v_transaction.status IN ('pending', 'processing') AND v_transaction.bank_reference IS NOT NULL THEN
    v_outcome := 'bank_holds_order';
    v_status := v_transaction.status;
  ELSE
    SELECT r.outcome, r.status INTO v_outcome, v_status FROM paygate_requeue_transaction(p_transaction_id) r;
  END IF;
  INSERT INTO operator_audit (operator_id, action, payment_id, reason, outcome, request_id)
  VALUES (p_operator_id, 'retry', p_transaction_id, p_reason, v_outcome, p_request_id)
  RETURNING id INTO v_audit_id;
  RETURN QUERY SELECT v_outcome, v_status, v_audit_id;
END
$$;

-- Fail with a reason, once the caller asked the bank and it holds no order under p_expected_order_key (NULL:
-- never submitted). Refused when the payment changed since that question: an order key minted meanwhile (a
-- worker took it), a bank reference stored (the bank accepted an order), or a processing payment touched
-- within p_quiet_ms (a submission may be in flight; the caller passes more than the bank timeout). The hold
-- of a withdrawal is released once, by the settlement path. Outcomes: failed | already_final |
-- changed_meanwhile | bank_holds_order | submission_in_flight | not_found.
CREATE FUNCTION paygate_operator_fail(
  p_transaction_id bigint, p_expected_order_key uuid, p_quiet_ms integer, p_error_code text, p_error_message text,
  p_detail text, p_operator_id bigint, p_reason text, p_request_id text
) RETURNS TABLE (outcome text, status text, audit_id bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_transaction transactions%ROWTYPE;
  v_outcome text;
  v_status text;
  v_audit_id bigint;
BEGIN
  SELECT * INTO v_transaction FROM transactions t WHERE t.id = p_transaction_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text, NULL::bigint;
    RETURN;
  END IF;
  v_status := v_transaction.status;
  IF v_transaction.status NOT IN ('pending', 'processing') THEN
    v_outcome := 'already_final';
  ELSIF v_transaction.bank_reference IS NOT NULL THEN
    v_outcome := 'bank_holds_order';
  ELSIF v_transaction.bank_order_key IS DISTINCT FROM p_expected_order_key THEN
    v_outcome := 'changed_meanwhile';
  ELSIF v_transaction.status = 'processing'
        AND v_transaction.updated_at > now() - make_interval(secs => p_quiet_ms / 1000.0) THEN
    v_outcome := 'submission_in_flight';
  ELSE
    SELECT CASE WHEN r.outcome = 'applied' THEN 'failed' ELSE 'already_final' END, r.status
      INTO v_outcome, v_status
      FROM paygate_operator_fail_transaction(p_transaction_id, p_error_code, p_error_message, p_detail,
                                             p_request_id) r;
  END IF;
  INSERT INTO operator_audit (operator_id, action, payment_id, reason, outcome, request_id)
  VALUES (p_operator_id, 'fail', p_transaction_id, p_reason, v_outcome, p_request_id)
  RETURNING id INTO v_audit_id;
  RETURN QUERY SELECT v_outcome, v_status, v_audit_id;
END
$$;

-- Replay a dead letter: its payment is sent to the worker again when it is not final; otherwise nothing is
-- sent and the answer says why. Either way the letter is marked handled (replayed_at, replay_outcome), so
-- the console's waiting list holds only what nobody looked at; a letter handled before is refused.
-- Outcomes: requeued | already_queued | already_final | no_payment | already_replayed | not_found.
CREATE FUNCTION paygate_replay_dead_letter(
  p_dead_letter_id bigint, p_operator_id bigint, p_reason text, p_request_id text
) RETURNS TABLE (outcome text, status text, transaction_id bigint, audit_id bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_letter dead_letters%ROWTYPE;
  v_outcome text;
  v_status text;
  v_audit_id bigint;
BEGIN
  SELECT * INTO v_letter FROM dead_letters d WHERE d.id = p_dead_letter_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text, NULL::bigint, NULL::bigint;
    RETURN;
  END IF;
  IF v_letter.replayed_at IS NOT NULL THEN
    v_outcome := 'already_replayed';
    SELECT t.status INTO v_status FROM transactions t WHERE t.id = v_letter.transaction_id;
  ELSIF v_letter.transaction_id IS NULL THEN
    v_outcome := 'no_payment';
  ELSE
    SELECT r.outcome, r.status INTO v_outcome, v_status FROM paygate_requeue_transaction(v_letter.transaction_id) r;
  END IF;
  IF v_outcome <> 'already_replayed' THEN
    UPDATE dead_letters SET replayed_at = now(), replay_outcome = v_outcome, replayed_by = p_operator_id
     WHERE id = p_dead_letter_id;
  END IF;
  INSERT INTO operator_audit (operator_id, action, payment_id, dead_letter_id, reason, outcome, request_id)
  VALUES (p_operator_id, 'replay_dead_letter', v_letter.transaction_id, p_dead_letter_id, p_reason, v_outcome,
          p_request_id)
  RETURNING id INTO v_audit_id;
  RETURN QUERY SELECT v_outcome, v_status, v_letter.transaction_id, v_audit_id;
END
$$;
