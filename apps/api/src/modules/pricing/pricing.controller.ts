import { CanActivate, Controller, ExecutionContext, Get, Injectable, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@your-api/contracts';
import { AuthUserSource, ManagementAuthGuard } from '../../common/auth';
import { PricingService } from './pricing.service';

/**
 * Public unless the operator asks for a login (HeaderNavModules.pricing.requireAuth); then the
 * usual management login check (session or access token, plus New-Api-User) applies.
 */
@Injectable()
export class PricingAccessGuard implements CanActivate {
  private readonly loginGuard: ManagementAuthGuard;

  constructor(
    private readonly pricing: PricingService,
    users: AuthUserSource,
  ) {
    const requireUser = { getAllAndOverride: () => Role.Common } as unknown as Reflector;
    this.loginGuard = new ManagementAuthGuard(requireUser, users);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    return this.pricing.requiresLogin() ? this.loginGuard.canActivate(context) : true;
  }
}

/** The model marketplace (New API controller/pricing.go). */
@Controller('api/pricing')
export class PricingController {
  constructor(private readonly pricing: PricingService) {}

  @Get()
  @UseGuards(PricingAccessGuard)
  list() {
    return this.pricing.pricing();
  }
}
