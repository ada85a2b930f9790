// SPDX-License-Identifier: GPL-2.0
/*
 * Early exits before a sleep. A test of run-time state that leaves the function (a buffer pool
 * in use, DMA not used, the device gone) makes the rest of it conditional, exactly as if the
 * sleep were written inside the opposite branch. An error check on a local, a WARN_ON()
 * assertion or a NULL check leaves only the normal path and decides nothing. A label ends the
 * exits before it: a goto may arrive there without them.
 */
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/delay.h>
#include <linux/completion.h>

struct ee_host {
	spinlock_t lock;
	struct mutex mtx;
	void *local_pool;
	bool uses_dma;
	int users;
};

bool ee_host_uses_dma(struct ee_host *host);
int ee_host_prepare(struct ee_host *host);

/* Frees through a pool or with kfree, and only with DMA through the sleeping path. */
static void ee_buffer_free(struct ee_host *host, void *addr)
{
	if (host->local_pool) {
		kfree(addr);
		return;
	}
	if (!ee_host_uses_dma(host)) {
		kfree(addr);
		return;
	}
	mutex_lock(&host->mtx);
	kfree(addr);
	mutex_unlock(&host->mtx);
}

static void ee_free_in_lock(struct ee_host *host, void *addr)
{
	spin_lock(&host->lock);
	ee_buffer_free(host, addr); // expect: sleep-in-atomic(conditional)
	spin_unlock(&host->lock);
}

/* Error checks and assertions: the sleep runs whenever the function gets going. */
static int ee_start(struct ee_host *host)
{
	int ret;

	ret = ee_host_prepare(host);
	if (ret < 0)
		return ret;
	if (WARN_ON(!host->users))
		return -EINVAL;
	msleep(10);
	return 0;
}

static void ee_start_bad(struct ee_host *host)
{
	spin_lock(&host->lock);
	ee_start(host); // expect: sleep-in-atomic
	spin_unlock(&host->lock);
}

/* The label is reached by the goto before the state test: the sleep after it is certain. */
static int ee_reset(struct ee_host *host, int force)
{
	if (force)
		goto reset;
	if (!host->uses_dma)
		return 0;
reset:
	msleep(1);
	return 0;
}

static void ee_reset_bad(struct ee_host *host)
{
	spin_lock(&host->lock);
	ee_reset(host, 1); // expect: sleep-in-atomic
	spin_unlock(&host->lock);
}

/* The same sleep without any exit, and the state test written as a branch: one class each. */
static void ee_wait(struct ee_host *host)
{
	if (host->uses_dma)
		msleep(1);
}

static void ee_wait_in_lock(struct ee_host *host)
{
	spin_lock(&host->lock);
	ee_wait(host); // expect: sleep-in-atomic(conditional)
	spin_unlock(&host->lock);
}

/*
 * The NULL check of the channel keys the helper's summary by its parameter, but the test of a
 * field reached through it is the client's choice at run time: the wait is conditional.
 */
struct ee_client {
	bool tx_block;
};

struct ee_chan {
	struct ee_client *cl;
	struct completion tx_done;
};

static int ee_chan_send(struct ee_chan *chan)
{
	if (!chan || !chan->cl)
		return -EINVAL;
	if (chan->cl->tx_block)
		wait_for_completion(&chan->tx_done);
	return 0;
}

static void ee_chan_send_in_lock(struct ee_host *host, struct ee_chan *chan)
{
	spin_lock(&host->lock);
	ee_chan_send(chan); // expect: sleep-in-atomic(conditional)
	spin_unlock(&host->lock);
}
