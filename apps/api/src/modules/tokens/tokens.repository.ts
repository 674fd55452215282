import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { PageRequest } from '../../common/paging';
import { TokenEntity } from '../../database/entities';
import { escapeLike, isWholeKey } from './token-rules';

export interface TokenSearch {
  /** Fragment of the name (case-insensitive). */
  keyword?: string;
  /** Whole stored key (exact match) or a fragment of one. */
  key?: string;
}

/** Queries on `tokens`; every read and write is scoped to one owner. Soft-deleted rows are invisible. */
@Injectable()
export class TokensRepository {
  constructor(@InjectRepository(TokenEntity) private readonly tokens: Repository<TokenEntity>) {}

  async listOwned(userId: number, page: PageRequest, search: TokenSearch = {}): Promise<[TokenEntity[], number]> {
    const query = this.tokens.createQueryBuilder('token').where('token.user_id = :userId', { userId });
    if (search.keyword) {
      query.andWhere(`LOWER(token.name) LIKE :name ESCAPE '!'`, { name: `%${escapeLike(search.keyword.toLowerCase())}%` });
    }
    if (search.key) {
      if (isWholeKey(search.key)) query.andWhere('token.key = :key', { key: search.key });
      else query.andWhere(`token.key LIKE :keyPattern ESCAPE '!'`, { keyPattern: `%${escapeLike(search.key)}%` });
    }
    return query.orderBy('token.id', 'DESC').offset(page.offset).limit(page.pageSize).getManyAndCount();
  }

  findOwned(userId: number, id: number): Promise<TokenEntity | null> {
    return this.tokens.findOne({ where: { id, user_id: userId } });
  }

  findByKey(key: string): Promise<TokenEntity | null> {
    return this.tokens.findOne({ where: { key } });
  }

  countOwned(userId: number): Promise<number> {
    return this.tokens.count({ where: { user_id: userId } });
  }

  async insert(row: Partial<TokenEntity>): Promise<TokenEntity> {
    return this.tokens.save(this.tokens.create(row));
  }

  async updateOwned(userId: number, id: number, patch: Partial<TokenEntity>): Promise<void> {
    await this.tokens.update({ id, user_id: userId }, patch);
  }

  async softDeleteOwned(userId: number, id: number): Promise<boolean> {
    const result = await this.tokens.softDelete({ id, user_id: userId });
    return (result.affected ?? 0) > 0;
  }
}
