// SPDX-License-Identifier: GPL-2.0
/*
 * Messages name a lock as the author wrote it at the lock call (xc->lock), even where the engine
 * matches it through a local's value (filp->private_data->lock).
 */
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

struct ln_cdev {
	spinlock_t lock;
	struct mutex io_mutex;
	int open_count;
};

static int ln_release_bad(struct inode *inode, struct file *filp)
{
	struct ln_cdev *xc = filp->private_data;

	spin_lock(&xc->lock);
	xc->open_count--;
	mutex_lock(&xc->io_mutex); // expect: sleep-in-atomic
	mutex_unlock(&xc->io_mutex);
	spin_unlock(&xc->lock);
	return 0;
}

/* The unlock names the same lock through another local: still matched. */
static int ln_flush_ok(struct inode *inode, struct file *filp)
{
	struct ln_cdev *xc = filp->private_data;
	struct ln_cdev *same = filp->private_data;

	spin_lock(&xc->lock);
	xc->open_count++;
	spin_unlock(&same->lock);
	mutex_lock(&xc->io_mutex);
	mutex_unlock(&xc->io_mutex);
	return 0;
}
