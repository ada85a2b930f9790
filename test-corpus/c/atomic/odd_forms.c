// SPDX-License-Identifier: GPL-2.0
/*
 * Forms real trees use that once made the atomic rules fail on a whole program: a GNU "a ?: b"
 * tested as a condition, and definitions with unnamed parameters (C23, or what a header-less
 * parse makes of SYSCALL_DEFINE3(name, type, arg, ...)).
 */
#include <linux/delay.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

struct of_dev {
	spinlock_t lock;
	struct mutex mtx;
	int ready;
	int err;
};

/* "a ?: b" as a condition: true when a is, else b decides. */
static void of_elvis_bad(struct of_dev *d, int a)
{
	spin_lock(&d->lock);
	if (a ?: d->ready)
		msleep(1); // expect: sleep-in-atomic
	spin_unlock(&d->lock);
}

static int of_elvis_check(struct of_dev *d)
{
	return d->err;
}

static void of_elvis_call_bad(struct of_dev *d, int a)
{
	spin_lock(&d->lock);
	if (!(a ?: of_elvis_check(d)))
		mutex_lock(&d->mtx); // expect: sleep-in-atomic
	spin_unlock(&d->lock);
}

/* Unnamed parameters before a named one that guards the sleep. */
static int of_unnamed(int, int, unsigned int flags, struct of_dev *d)
{
	if (flags & 1)
		return -EINVAL;
	mutex_lock(&d->mtx);
	mutex_unlock(&d->mtx);
	return 0;
}

static void of_unnamed_caller_bad(struct of_dev *d)
{
	spin_lock(&d->lock);
	of_unnamed(1, 2, 0, d); // expect: sleep-in-atomic
	spin_unlock(&d->lock);
}

/* The guard is known: flags 1 returns before the mutex. */
static void of_unnamed_caller_ok(struct of_dev *d)
{
	spin_lock(&d->lock);
	of_unnamed(1, 2, 1, d);
	spin_unlock(&d->lock);
}
