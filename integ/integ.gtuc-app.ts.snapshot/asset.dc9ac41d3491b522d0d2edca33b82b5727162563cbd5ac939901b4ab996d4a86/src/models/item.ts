import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

/** Attributes of an item row as Sequelize sees it. */
export interface ItemRow extends Model<InferAttributes<ItemRow>, InferCreationAttributes<ItemRow>> {
  id: CreationOptional<string>;
  sku: string;
  name: string;
  description: CreationOptional<string>;
  priceCents: number;
  currency: string;
  category: string;
  stock: number;
  version: CreationOptional<number>;
  createdAt: CreationOptional<Date>;
  updatedAt: CreationOptional<Date>;
}

export type ItemModel = ModelStatic<ItemRow>;

/**
 * Defines the `Item` model on one Sequelize instance (each instance gets its own
 * model, so several databases can live in one process, as in the tests).
 * The table itself is created by the migrations, never by sync().
 */
export function defineItemModel(sequelize: Sequelize): ItemModel {
  return sequelize.define<ItemRow>(
    'Item',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      sku: { type: DataTypes.TEXT, allowNull: false, unique: true },
      name: { type: DataTypes.TEXT, allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      priceCents: { type: DataTypes.INTEGER, allowNull: false, field: 'price_cents' },
      currency: { type: DataTypes.TEXT, allowNull: false },
      category: { type: DataTypes.TEXT, allowNull: false },
      stock: { type: DataTypes.INTEGER, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      createdAt: { type: DataTypes.DATE, field: 'created_at' },
      updatedAt: { type: DataTypes.DATE, field: 'updated_at' },
    },
    { tableName: 'items', timestamps: true, underscored: true },
  );
}
