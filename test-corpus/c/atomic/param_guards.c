// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers whose sleep depends on a "may I sleep?" parameter: a caller holding a spinlock that
 * passes the no-sleep value is fine; one passing the sleeping value, or a value the analysis
 * cannot decide, is reported.
 */
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#define PG_SLEEPABLE 0x1

struct pg_dev {
	spinlock_t lock;
	int busy;
	void *buf;
};

/* The NCR5380 pattern: no wait means no sleep. */
static int pg_poll(struct pg_dev *dev, unsigned long wait)
{
	if (!dev->busy)
		return 0;
	if (wait == 0)
		return -1;
	msleep(1);
	return 0;
}

/* The cxgb4 pattern: sleep_ok handed down. */
static int pg_mbox(struct pg_dev *dev, bool sleep_ok)
{
	if (sleep_ok)
		msleep(1);
	else
		mdelay(1);
	return pg_poll(dev, 0);
}

static int pg_mbox_ns(struct pg_dev *dev)
{
	return pg_mbox(dev, false);
}

/* The rdma_create_ah pattern: a flag bit selects the gfp. */
static void *pg_create(struct pg_dev *dev, unsigned int flags)
{
	return kmalloc(64, (flags & PG_SLEEPABLE) ? GFP_KERNEL : GFP_ATOMIC);
}

/* The NCR5380 transfer_pio pattern: the timeout is HZ * can_sleep. */
static int pg_transfer(struct pg_dev *dev, unsigned int can_sleep)
{
	return pg_poll(dev, HZ * can_sleep);
}

static void pg_no_sleep_ok(struct pg_dev *dev)
{
	spin_lock(&dev->lock);
	pg_poll(dev, 0);
	pg_transfer(dev, 0);
	pg_mbox_ns(dev);
	dev->buf = pg_create(dev, 0);
	spin_unlock(&dev->lock);
}

static void pg_poll_bad(struct pg_dev *dev)
{
	spin_lock(&dev->lock);
	pg_poll(dev, 10); // expect: sleep-in-atomic(conditional)
	spin_unlock(&dev->lock);
}

static void pg_transfer_bad(struct pg_dev *dev)
{
	spin_lock(&dev->lock);
	pg_transfer(dev, 1); // expect: sleep-in-atomic(conditional)
	spin_unlock(&dev->lock);
}

static void pg_mbox_bad(struct pg_dev *dev)
{
	spin_lock(&dev->lock);
	pg_mbox(dev, true); // expect: sleep-in-atomic
	spin_unlock(&dev->lock);
}

static void pg_create_bad(struct pg_dev *dev)
{
	spin_lock(&dev->lock);
	dev->buf = pg_create(dev, PG_SLEEPABLE); // expect: sleeping-alloc-in-atomic
	spin_unlock(&dev->lock);
}

/* The iwlegacy add-station pattern: asynchronous commands do not wait. */
#define PG_CMD_ASYNC 0x1
#define PG_CMD_WANT_SKB 0x2

static int pg_send_cmd(struct pg_dev *dev, unsigned int flags)
{
	if (flags & PG_CMD_ASYNC)
		return 0;
	might_sleep();
	return 1;
}

static void pg_async_ok(struct pg_dev *dev)
{
	spin_lock(&dev->lock);
	pg_send_cmd(dev, PG_CMD_ASYNC | PG_CMD_WANT_SKB);
	spin_unlock(&dev->lock);
}

static void pg_sync_bad(struct pg_dev *dev)
{
	spin_lock(&dev->lock);
	pg_send_cmd(dev, PG_CMD_WANT_SKB); // expect: sleep-in-atomic
	spin_unlock(&dev->lock);
}

/* The t7xx state-machine pattern: only a caller asking to wait waits. */
#define PG_FLAG_IN_INTERRUPT 0x1
#define PG_FLAG_WAIT 0x2

static int pg_append_cmd(struct pg_dev *dev, unsigned int flag)
{
	dev->busy = 1;
	if (flag & PG_FLAG_WAIT)
		msleep(10);
	return 0;
}

static int pg_recv_intr(struct pg_dev *dev)
{
	unsigned int cmd_flags = PG_FLAG_IN_INTERRUPT;

	return pg_append_cmd(dev, cmd_flags);
}

static void pg_intr_ok(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_recv_intr(dev);
	spin_unlock_bh(&dev->lock);
}

static void pg_wait_bad(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_append_cmd(dev, PG_FLAG_WAIT); // expect: sleep-in-atomic
	spin_unlock_bh(&dev->lock);
}

/* The mwifiex command dispatcher pattern: only one command waits for the firmware. */
enum pg_cmd {
	PG_CMD_STATUS = 1,
	PG_CMD_RESET,
	PG_CMD_ADDBA_RSP,
	PG_CMD_DELBA,
};

static int pg_prepare_cmd(struct pg_dev *dev, u16 cmd_no)
{
	switch (cmd_no) {
	case PG_CMD_STATUS:
		dev->busy = 0;
		break;
	case PG_CMD_RESET:
		msleep(100);
		break;
	default:
		break;
	}
	return 0;
}

static int pg_send_dispatch(struct pg_dev *dev, u16 cmd_no)
{
	return pg_prepare_cmd(dev, cmd_no);
}

static void pg_status_ok(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_send_dispatch(dev, PG_CMD_STATUS);
	spin_unlock_bh(&dev->lock);
}

static void pg_reset_bad(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_send_dispatch(dev, PG_CMD_RESET); // expect: sleep-in-atomic
	spin_unlock_bh(&dev->lock);
}

/* The mwifiex host-sleep pattern: "sync" is computed from the caller's command type. */
#define PG_ASYNC_CMD 1
#define PG_SYNC_CMD 2

static int pg_send_sync(struct pg_dev *dev, bool sync)
{
	dev->busy = 1;
	if (sync)
		msleep(10);
	return 0;
}

static int pg_set_params(struct pg_dev *dev, int cmd_type)
{
	return pg_send_sync(dev, cmd_type == PG_SYNC_CMD);
}

static void pg_cancel_async_ok(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_set_params(dev, PG_ASYNC_CMD);
	spin_unlock_bh(&dev->lock);
}

static void pg_cancel_sync_bad(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_set_params(dev, PG_SYNC_CMD); // expect: sleep-in-atomic
	spin_unlock_bh(&dev->lock);
}

/* The adb_request pattern: several flag bits tested; only ADBREQ_SYNC waits. */
#define PG_REQ_SYNC 0x1
#define PG_REQ_NOSEND 0x4

static int pg_request(struct pg_dev *dev, int flags)
{
	int rc = 0;

	if (flags & PG_REQ_NOSEND)
		return 0;
	if ((flags & PG_REQ_SYNC) && !rc)
		msleep(5);
	return rc;
}

static void pg_poll_request_ok(struct pg_dev *dev)
{
	spin_lock_irq(&dev->lock);
	pg_request(dev, PG_REQ_NOSEND);
	spin_unlock_irq(&dev->lock);
}

static void pg_sync_request_bad(struct pg_dev *dev)
{
	spin_lock_irq(&dev->lock);
	pg_request(dev, PG_REQ_SYNC); // expect: sleep-in-atomic
	spin_unlock_irq(&dev->lock);
}

/* The cxgb4 mailbox pattern: sleep_ok may be cleared inside, never set. */
static int pg_mbox_timeout(struct pg_dev *dev, bool sleep_ok, int timeout)
{
	if (timeout < 0)
		sleep_ok = false;
	if (sleep_ok)
		msleep(1);
	else
		mdelay(1);
	return 0;
}

static void pg_mbox_ns_ok(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_mbox_timeout(dev, false, 100);
	spin_unlock_bh(&dev->lock);
}

static void pg_mbox_sleep_bad(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_mbox_timeout(dev, true, 100); // expect: sleep-in-atomic
	spin_unlock_bh(&dev->lock);
}

/*
 * The r8188eu issue_nulldata pattern: the retry loop sleeps between tries only when the caller
 * asked to wait (wait_ms > 0), whatever the unknown outcome of the send.
 */
static int pg_send_null(struct pg_dev *dev);

static int pg_issue_null(struct pg_dev *dev, int try_cnt, int wait_ms)
{
	int ret, i = 0;

	do {
		ret = pg_send_null(dev);
		i++;
		if (i < try_cnt && wait_ms > 0 && ret != 0)
			msleep(wait_ms);
	} while (i < try_cnt && ret != 0);
	return ret;
}

static void pg_null_no_wait_ok(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_issue_null(dev, 0, 0);
	spin_unlock_bh(&dev->lock);
}

static void pg_null_wait_bad(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_issue_null(dev, 3, 10); // expect: sleep-in-atomic(conditional)
	spin_unlock_bh(&dev->lock);
}

/*
 * The mwifiex prepare-command pattern: several cases sleep, each its own way; a command none of
 * them handles does not sleep.
 */
static int pg_prepare_any(struct pg_dev *dev, u16 cmd_no)
{
	switch (cmd_no) {
	case PG_CMD_RESET:
		msleep(100);
		break;
	case PG_CMD_ADDBA_RSP:
		dev->buf = kzalloc(64, GFP_KERNEL);
		break;
	case PG_CMD_DELBA:
		msleep(10);
		break;
	default:
		break;
	}
	return 0;
}

static int pg_send_any(struct pg_dev *dev, u16 cmd_no)
{
	return pg_prepare_any(dev, cmd_no);
}

static void pg_send_status_ok(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_send_any(dev, PG_CMD_STATUS);
	spin_unlock_bh(&dev->lock);
}

static void pg_send_delba_bad(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_send_any(dev, PG_CMD_DELBA); // expect: sleep-in-atomic
	spin_unlock_bh(&dev->lock);
}

/* The r8188eu issue_nulldata pattern again: "wait for the ack" is handed down as wait_ms > 0. */
static int pg_send_and_wait_ack(struct pg_dev *dev)
{
	msleep(1);
	return 0;
}

static int pg_issue_frame(struct pg_dev *dev, int wait_ack)
{
	if (wait_ack)
		return pg_send_and_wait_ack(dev);
	return 0;
}

static int pg_issue_null_retry(struct pg_dev *dev, int try_cnt, int wait_ms)
{
	return pg_issue_frame(dev, wait_ms > 0);
}

static void pg_null_no_ack_ok(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_issue_null_retry(dev, 0, 0);
	spin_unlock_bh(&dev->lock);
}

static void pg_null_ack_bad(struct pg_dev *dev)
{
	spin_lock_bh(&dev->lock);
	pg_issue_null_retry(dev, 3, 10); // expect: sleep-in-atomic
	spin_unlock_bh(&dev->lock);
}
