// NeoCart's own models (TF.js, trained on NeoCart's data): what the app and the scripts import.
export { type DemandForecast, forecastDemand, type LowStockAlert, listLowStockAlerts } from "./forecast-demand.ts";
export { type FraudScore, fraudScore, OrderNotFoundError } from "./fraud-score.ts";
export { DEFAULT_MODELS_DIR } from "./model-files.ts";
export { clearModelCache, latestModel, listLatestModels, type ModelKind, type ModelRecord } from "./model-registry.ts";
export {
  alsoBought,
  popularProducts,
  type Recommendation,
  type RecommendationList,
  recommendFor,
  similarProducts,
} from "./recommend.ts";
export { CART_EVENT_WINDOW_MS, type CartAdd, recordCartAdd } from "./record-cart-add.ts";
export { recordInteraction, seedInteractions } from "./seed-interactions.ts";
export { OfferNotFoundError, type PriceSuggestion, suggestPrice } from "./suggest-price.ts";
export { type TrainAllOptions, type TrainAllReport, trainAllModels } from "./train-all.ts";
