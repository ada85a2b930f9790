// SPDX-License-Identifier: GPL-2.0
/*
 * Restart and power-off handlers run from an atomic notifier chain with interrupts off while the
 * system goes down. The I2C core is built for that moment (atomic transfers, the bus lock taken
 * with a trylock), so a PMIC poked over I2C from such a handler is fine; a mutex or a sleep
 * there is still wrong, and so is the same I2C transfer under a spinlock at run time.
 */
#include <linux/i2c.h>
#include <linux/mutex.h>
#include <linux/delay.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/spinlock.h>

struct sd_pmic {
	struct i2c_client *client;
	struct notifier_block restart_nb;
	struct mutex lock;
	spinlock_t irq_lock;
};

static struct sd_pmic *sd_power_off_pmic;

static int sd_pmic_reset(struct sd_pmic *pmic)
{
	return i2c_smbus_write_byte_data(pmic->client, 0x10, 0x01);
}

static int sd_restart(struct notifier_block *nb, unsigned long mode, void *cmd)
{
	struct sd_pmic *pmic = container_of(nb, struct sd_pmic, restart_nb);

	sd_pmic_reset(pmic);
	mdelay(1);
	return NOTIFY_DONE;
}

static void sd_power_off(void)
{
	i2c_smbus_write_byte_data(sd_power_off_pmic->client, 0x11, 0x01);
	mutex_lock(&sd_power_off_pmic->lock); // expect: sleep-in-atomic
	mutex_unlock(&sd_power_off_pmic->lock);
}

static void sd_pmic_irq_ack(struct sd_pmic *pmic)
{
	unsigned long flags;

	spin_lock_irqsave(&pmic->irq_lock, flags);
	sd_pmic_reset(pmic); // expect: sleep-in-atomic
	spin_unlock_irqrestore(&pmic->irq_lock, flags);
}

static int sd_probe(struct i2c_client *client)
{
	struct sd_pmic *pmic;

	pmic = devm_kzalloc(&client->dev, sizeof(*pmic), GFP_KERNEL);
	if (!pmic)
		return -ENOMEM;
	pmic->client = client;
	pmic->restart_nb.notifier_call = sd_restart;
	register_restart_handler(&pmic->restart_nb);
	sd_power_off_pmic = pmic;
	register_platform_power_off(sd_power_off);
	sd_pmic_irq_ack(pmic);
	return 0;
}
