// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers whose sleep depends on a field of the struct they are handed: a constant the caller
 * stores in that field (a designated initialiser, or a parameter an allocator copies into the
 * struct it returns) decides, as a constant argument does.
 */
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#define FG_CMD_ASYNC		0x1
#define FG_CMD_WANT_SKB		0x2

struct fg_cmd {
	u8 id;
	u32 flags;
	void *data;
};

struct fg_dev {
	spinlock_t lock;
	struct completion done;
};

static int fg_send_async(struct fg_dev *dev, struct fg_cmd *cmd)
{
	return 0;
}

static int fg_send_sync(struct fg_dev *dev, struct fg_cmd *cmd)
{
	wait_for_completion(&dev->done);
	return 0;
}

/* The iwlegacy il_send_cmd pattern: the command's flags pick the synchronous path. */
static int fg_send_cmd(struct fg_dev *dev, struct fg_cmd *cmd)
{
	if (cmd->flags & FG_CMD_ASYNC)
		return fg_send_async(dev, cmd);
	return fg_send_sync(dev, cmd);
}

static int fg_send_sta(struct fg_dev *dev, u8 flags)
{
	struct fg_cmd cmd = {
		.id = 0x18,
		.flags = flags,
	};

	if (!(flags & FG_CMD_ASYNC))
		cmd.flags |= FG_CMD_WANT_SKB;
	return fg_send_cmd(dev, &cmd);
}

static void fg_sta_async_ok(struct fg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	fg_send_sta(dev, FG_CMD_ASYNC);
	spin_unlock_bh(&dev->lock);
}

static void fg_sta_sync_bad(struct fg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	fg_send_sta(dev, 0); // expect: sleep-in-atomic
	spin_unlock_bh(&dev->lock);
}

/* A wrapper that hands its own command on keeps the condition. */
static int fg_send_wrapped(struct fg_dev *dev, struct fg_cmd *cmd)
{
	return fg_send_cmd(dev, cmd);
}

static void fg_wrapped_async_ok(struct fg_dev *dev)
{
	struct fg_cmd cmd = { .id = 1, .flags = FG_CMD_ASYNC };

	spin_lock_bh(&dev->lock);
	fg_send_wrapped(dev, &cmd);
	spin_unlock_bh(&dev->lock);
}

static void fg_unknown_flags_bad(struct fg_dev *dev, struct fg_cmd *cmd)
{
	spin_lock_bh(&dev->lock);
	fg_send_wrapped(dev, cmd); // expect: sleep-in-atomic(conditional)
	spin_unlock_bh(&dev->lock);
}

/* The irdma cqp_request pattern: the allocator stores "wait" in the request it returns. */
struct fg_req {
	bool waiting;
	struct completion comp;
};

static struct fg_req *fg_get_request(struct fg_dev *dev, bool wait)
{
	struct fg_req *req;

	req = kzalloc(sizeof(*req), GFP_ATOMIC);
	if (!req)
		return NULL;
	req->waiting = wait;
	return req;
}

static int fg_handle_op(struct fg_dev *dev, struct fg_req *req)
{
	if (req->waiting)
		wait_for_completion(&req->comp);
	return 0;
}

static int fg_suspend_qp(struct fg_dev *dev)
{
	struct fg_req *req;

	req = fg_get_request(dev, false);
	if (!req)
		return -ENOMEM;
	return fg_handle_op(dev, req);
}

static int fg_destroy_qp(struct fg_dev *dev)
{
	struct fg_req *req;

	req = fg_get_request(dev, true);
	if (!req)
		return -ENOMEM;
	return fg_handle_op(dev, req);
}

static void fg_qp_event_ok(struct fg_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	fg_suspend_qp(dev);
	spin_unlock_irqrestore(&dev->lock, flags);
}

static void fg_qp_destroy_bad(struct fg_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	fg_destroy_qp(dev); // expect: sleep-in-atomic
	spin_unlock_irqrestore(&dev->lock, flags);
}

/*
 * The r8188eu _issue_deauth pattern: the sleep needs both the caller's wait_ack and a device
 * state field the callee tests; the caller's constant wait_ack = false rules it out.
 */
struct fg_adapter {
	bool stopped;
	struct mutex ack_mutex;
};

static int fg_dump_and_wait(struct fg_adapter *ad)
{
	if (ad->stopped)
		return -1;
	mutex_lock(&ad->ack_mutex);
	mutex_unlock(&ad->ack_mutex);
	return 0;
}

static int fg_issue_deauth(struct fg_adapter *ad, bool wait_ack)
{
	if (wait_ack)
		return fg_dump_and_wait(ad);
	return 0;
}

static void fg_deauth_ok(struct fg_dev *dev, struct fg_adapter *ad)
{
	spin_lock_bh(&dev->lock);
	fg_issue_deauth(ad, false);
	spin_unlock_bh(&dev->lock);
}

static void fg_deauth_wait_bad(struct fg_dev *dev, struct fg_adapter *ad)
{
	spin_lock_bh(&dev->lock);
	fg_issue_deauth(ad, true); // expect: sleep-in-atomic
	spin_unlock_bh(&dev->lock);
}

/*
 * The i915 intel_guc_ct_send pattern: the device-state field test comes first, the caller's
 * non-blocking flag decides.
 */
#define FG_SEND_NB	(1u << 31)

struct fg_ct {
	bool enabled;
	struct completion done;
};

static int fg_ct_send_sync(struct fg_ct *ct)
{
	might_sleep();
	wait_for_completion(&ct->done);
	return 0;
}

static int fg_ct_send(struct fg_ct *ct, u32 flags)
{
	if (unlikely(!ct->enabled))
		return -ENODEV;
	if (flags & FG_SEND_NB)
		return 0;
	return fg_ct_send_sync(ct);
}

static void fg_ct_nb_ok(struct fg_dev *dev, struct fg_ct *ct)
{
	spin_lock(&dev->lock);
	fg_ct_send(ct, FG_SEND_NB | 4);
	spin_unlock(&dev->lock);
}

static void fg_ct_blocking_bad(struct fg_dev *dev, struct fg_ct *ct)
{
	spin_lock(&dev->lock);
	fg_ct_send(ct, 0); // expect: sleep-in-atomic(conditional)
	spin_unlock(&dev->lock);
}

/*
 * The nvme_change_ctrl_state pattern: the new state is stored under a flag, the function returns
 * early when the flag is clear, and only then tests the stored state.
 */
enum fg_state { FG_NEW, FG_LIVE, FG_RESETTING, FG_DELETING };

struct fg_ctrl {
	spinlock_t lock;
	enum fg_state state;
	struct completion failfast_done;
};

static bool fg_change_state(struct fg_ctrl *ctrl, enum fg_state new_state)
{
	unsigned long flags;
	bool changed = false;

	spin_lock_irqsave(&ctrl->lock, flags);
	switch (new_state) {
	case FG_LIVE:
		if (ctrl->state == FG_NEW)
			changed = true;
		break;
	case FG_RESETTING:
	case FG_DELETING:
		changed = true;
		break;
	default:
		break;
	}
	if (changed)
		ctrl->state = new_state;
	spin_unlock_irqrestore(&ctrl->lock, flags);
	if (!changed)
		return false;

	if (ctrl->state == FG_LIVE)
		wait_for_completion(&ctrl->failfast_done);
	return changed;
}

static void fg_delete_ok(struct fg_dev *dev, struct fg_ctrl *ctrl)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	fg_change_state(ctrl, FG_DELETING);
	spin_unlock_irqrestore(&dev->lock, flags);
}

static void fg_go_live_bad(struct fg_dev *dev, struct fg_ctrl *ctrl)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	fg_change_state(ctrl, FG_LIVE); // expect: sleep-in-atomic
	spin_unlock_irqrestore(&dev->lock, flags);
}

/* The r8188eu _issue_nulldata pattern: a null check on the adapter comes before wait_ack. */
static int fg_issue_null(struct fg_adapter *ad, int power_mode, int wait_ack)
{
	int ret = -1;

	if (!ad)
		goto exit;
	if (wait_ack)
		ret = fg_dump_and_wait(ad);
exit:
	return ret;
}

static void fg_null_ok(struct fg_dev *dev, struct fg_adapter *ad)
{
	spin_lock_bh(&dev->lock);
	fg_issue_null(ad, 0, 0);
	spin_unlock_bh(&dev->lock);
}

static void fg_null_wait_bad(struct fg_dev *dev, struct fg_adapter *ad)
{
	spin_lock_bh(&dev->lock);
	fg_issue_null(ad, 0, 1); // expect: sleep-in-atomic
	spin_unlock_bh(&dev->lock);
}

/* A helper told to skip its buffer with NULL: the buffer test is the one nearest the sleep. */
static int fg_fill(struct fg_adapter *ad, void *buf, int len)
{
	if (len > 64)
		return -EINVAL;
	if (!buf)
		return 0;
	mutex_lock(&ad->ack_mutex);
	mutex_unlock(&ad->ack_mutex);
	return len;
}

static void fg_fill_none_ok(struct fg_dev *dev, struct fg_adapter *ad)
{
	spin_lock_bh(&dev->lock);
	fg_fill(ad, NULL, 16);
	spin_unlock_bh(&dev->lock);
}

/*
 * The megaraid sync_pd_seq_num pattern: a pended command returns before the blocking issue,
 * which is also guarded by a device-state field nearer to it.
 */
struct fg_inst {
	bool mask_interrupts;
	struct completion done;
};

static int fg_sync_seq(struct fg_inst *inst, bool pend)
{
	if (pend)
		return 0;
	if (!inst->mask_interrupts)
		wait_for_completion(&inst->done);
	return 0;
}

static void fg_reregister_ok(struct fg_dev *dev, struct fg_inst *inst)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	fg_sync_seq(inst, true);
	spin_unlock_irqrestore(&dev->lock, flags);
}

static void fg_sync_now_bad(struct fg_dev *dev, struct fg_inst *inst)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	fg_sync_seq(inst, false); // expect: sleep-in-atomic(conditional)
	spin_unlock_irqrestore(&dev->lock, flags);
}
