using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Scheduler.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PostSeries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "series_id",
                table: "post_details",
                type: "binary(16)",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_post_details_series_id",
                table: "post_details",
                column: "series_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_post_details_series_id",
                table: "post_details");

            migrationBuilder.DropColumn(
                name: "series_id",
                table: "post_details");
        }
    }
}
