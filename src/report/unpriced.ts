import { modelPrice } from '../pricing/prices.js';
import { modelOfJudgeName } from '../results/judge-names.js';

/**
 * The models a summary's cost is unknown for: those of its judges (a panel's names are joined by
 * ',', the models of several files by ', ') that verdict has no price for; the summary's model
 * itself when every one has a price.
 */
export function unpricedModels(summaryModel: string): string {
  const models = [...new Set(summaryModel.split(',').map((name) => modelOfJudgeName(name.trim())))];
  const unpriced = models.filter((model) => modelPrice(model) === undefined);
  return unpriced.length > 0 ? unpriced.join(', ') : summaryModel;
}
